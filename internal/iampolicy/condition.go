package iampolicy

import (
	"fmt"
	"strings"
)

// Condition is an IAM condition (CEL expression) on a binding.
type Condition struct {
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	Expression  string `json:"expression"`
}

func (c *Condition) isZero() bool {
	return c == nil || (c.Title == "" && c.Description == "" && c.Expression == "")
}

func (c *Condition) clone() *Condition {
	if c.isZero() {
		return nil
	}
	cp := *c
	return &cp
}

// Equal reports whether c and o select the same binding: all three fields
// equal, with nil equal to a condition whose fields are all empty.
func (c *Condition) Equal(o *Condition) bool {
	if c.isZero() || o.isZero() {
		return c.isZero() && o.isZero()
	}
	return *c == *o
}

// String describes the condition for messages: its title, else its
// expression; "" for no condition.
func (c *Condition) String() string {
	switch {
	case c.isZero():
		return ""
	case c.Title != "":
		return c.Title
	default:
		return c.Expression
	}
}

// ValidateCondition checks what Google requires of a condition: a title and
// an expression. A nil condition is valid (unconditional binding).
func ValidateCondition(c *Condition) error {
	if c.isZero() {
		return nil
	}
	if strings.TrimSpace(c.Expression) == "" {
		return fmt.Errorf("condition %q has no expression: set expression to a CEL expression such as request.time < timestamp(\"2030-01-01T00:00:00Z\")", c.Title)
	}
	if strings.TrimSpace(c.Title) == "" {
		return fmt.Errorf("condition with expression %q has no title: Google requires a title on every IAM condition", c.Expression)
	}
	return nil
}

// bindingKey identifies a binding: role plus condition.
type bindingKey struct {
	role                           string
	hasCond                        bool
	title, description, expression string
}

func keyOf(role string, c *Condition) bindingKey {
	if c.isZero() {
		return bindingKey{role: role}
	}
	return bindingKey{role: role, hasCond: true, title: c.Title, description: c.Description, expression: c.Expression}
}

func (k bindingKey) condition() *Condition {
	if !k.hasCond {
		return nil
	}
	return &Condition{Title: k.title, Description: k.description, Expression: k.expression}
}

// String orders keys: role first, unconditional before conditional.
func (k bindingKey) String() string {
	if !k.hasCond {
		return k.role + "\x00"
	}
	return k.role + "\x00\x01" + k.title + "\x00" + k.description + "\x00" + k.expression
}
