package iampolicy

import (
	"errors"
	"fmt"
)

// OpKind is the kind of one Op.
type OpKind int

// Kinds of Op.
const (
	// OpAdd grants the role to each member (other holders are kept).
	OpAdd OpKind = iota + 1
	// OpRemove revokes the role from each member.
	OpRemove
	// OpSetAuthoritative makes the members the complete list of holders of
	// the role under the condition (other roles and conditions untouched).
	OpSetAuthoritative
)

// String names the kind for messages.
func (k OpKind) String() string {
	switch k {
	case OpAdd:
		return "add"
	case OpRemove:
		return "remove"
	case OpSetAuthoritative:
		return "set"
	default:
		return fmt.Sprintf("OpKind(%d)", int(k))
	}
}

// Op is one change to the holders of one role under one condition.
type Op struct {
	Kind      OpKind
	Role      string
	Members   []string
	Condition *Condition
}

// Mutation is an ordered list of Ops. It is intent, not a result: applying it
// to a freshly read policy again after a concurrent write lost nothing that
// other writers added, which is what lets the IAM engine retry a conflicting
// read-modify-write safely. Apply is idempotent.
type Mutation []Op

// AddMembers returns a Mutation granting role to members under cond.
func AddMembers(role string, cond *Condition, members ...string) Mutation {
	return Mutation{{Kind: OpAdd, Role: role, Members: members, Condition: cond}}
}

// RemoveMembers returns a Mutation revoking role from members under cond.
func RemoveMembers(role string, cond *Condition, members ...string) Mutation {
	return Mutation{{Kind: OpRemove, Role: role, Members: members, Condition: cond}}
}

// SetAuthoritative returns a Mutation making members the only holders of role
// under cond.
func SetAuthoritative(role string, cond *Condition, members ...string) Mutation {
	return Mutation{{Kind: OpSetAuthoritative, Role: role, Members: members, Condition: cond}}
}

// Apply applies every op in order to p and reports whether p changed.
func (m Mutation) Apply(p *Policy) (changed bool) {
	for _, op := range m {
		switch op.Kind {
		case OpAdd:
			for _, member := range op.Members {
				if p.AddMember(op.Role, member, op.Condition) {
					changed = true
				}
			}
		case OpRemove:
			for _, member := range op.Members {
				if p.RemoveMember(op.Role, member, op.Condition) {
					changed = true
				}
			}
		case OpSetAuthoritative:
			added, removed := p.SetMembers(op.Role, op.Condition, op.Members)
			if len(added) > 0 || len(removed) > 0 {
				changed = true
			}
		}
	}
	return changed
}

// Validate checks every op's kind, role, members and condition, returning all
// problems joined (nil when the mutation is valid).
func (m Mutation) Validate() error {
	var errs []error
	for _, op := range m {
		switch op.Kind {
		case OpAdd, OpRemove, OpSetAuthoritative:
		default:
			errs = append(errs, fmt.Errorf("unknown IAM operation kind %d", int(op.Kind)))
		}
		if err := ValidateRole(op.Role); err != nil {
			errs = append(errs, err)
		}
		if err := ValidateCondition(op.Condition); err != nil {
			errs = append(errs, err)
		}
		for _, member := range op.Members {
			if _, err := ParseMember(member); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
