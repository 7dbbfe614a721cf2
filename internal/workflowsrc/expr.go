package workflowsrc

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Expressions: the subset of the Workflows expression language the
// emulator evaluates. A value is an expression only when the whole string
// is "${…}" (Workflows does not interpolate inside strings). Supported:
// literals (numbers, 'single' and "double" quoted strings, true, false,
// null, [lists], {"maps": …}), variables, field access a.b, indexing a["k"]
// and a[0], + - * / % (+ also joins strings, lists), == != < <= > >=, and,
// or, not, parentheses, and the functions default, len, keys, string, int,
// double, map.get, text.to_lower, text.to_upper, json.encode_to_string,
// json.decode and sys.get_env.

// Env is what an expression can read.
type Env struct {
	Vars   map[string]any    // workflow variables
	SysEnv map[string]string // sys.get_env values (GOOGLE_CLOUD_PROJECT_ID, …)
}

// Eval evaluates a value from a source: strings that are "${…}" are
// evaluated, maps and lists are evaluated element by element, other values
// are returned normalised (integers as int64).
func Eval(v any, env *Env) (any, error) {
	switch x := v.(type) {
	case string:
		if !IsExpression(x) {
			return x, nil
		}
		t := strings.TrimSpace(x)
		return EvalExpression(t[2:len(t)-1], env)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			ev, err := Eval(val, env)
			if err != nil {
				return nil, err
			}
			out[k] = ev
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			ev, err := Eval(val, env)
			if err != nil {
				return nil, err
			}
			out[i] = ev
		}
		return out, nil
	default:
		return Normalize(v), nil
	}
}

// Normalize turns the numeric types of decoders (int, float64 holding an
// integer from JSON, json.Number) into int64 or float64, recursively.
func Normalize(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case uint64:
		return int64(x)
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = Normalize(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = Normalize(val)
		}
		return out
	default:
		return v
	}
}

// EvalExpression evaluates the text inside "${…}".
func EvalExpression(src string, env *Env) (any, error) {
	p := &exprParser{toks: nil}
	toks, err := lex(src)
	if err != nil {
		return nil, fmt.Errorf("expression %q: %v", src, err)
	}
	p.toks = toks
	n, err := p.parseOr()
	if err != nil {
		return nil, fmt.Errorf("expression %q: %v", src, err)
	}
	if p.pos < len(p.toks) {
		return nil, fmt.Errorf("expression %q: unexpected %q", src, p.toks[p.pos].text)
	}
	v, err := n.eval(env)
	if err != nil {
		return nil, fmt.Errorf("expression %q: %v", src, err)
	}
	return v, nil
}

// ---- lexer ----

type tokKind int

const (
	tNum tokKind = iota
	tStr
	tIdent
	tOp
)

type token struct {
	kind tokKind
	text string
	val  any
}

func lex(s string) ([]token, error) {
	var out []token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c >= '0' && c <= '9':
			j := i
			isFloat := false
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				if s[j] == '.' {
					isFloat = true
				}
				j++
			}
			text := s[i:j]
			if isFloat {
				f, err := strconv.ParseFloat(text, 64)
				if err != nil {
					return nil, fmt.Errorf("bad number %q", text)
				}
				out = append(out, token{kind: tNum, text: text, val: f})
			} else {
				n, err := strconv.ParseInt(text, 10, 64)
				if err != nil {
					return nil, fmt.Errorf("bad number %q", text)
				}
				out = append(out, token{kind: tNum, text: text, val: n})
			}
			i = j
		case c == '"' || c == '\'':
			var b strings.Builder
			j := i + 1
			for ; j < len(s) && s[j] != c; j++ {
				if s[j] == '\\' && j+1 < len(s) {
					j++
					switch s[j] {
					case 'n':
						b.WriteByte('\n')
					case 't':
						b.WriteByte('\t')
					default:
						b.WriteByte(s[j])
					}
					continue
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, fmt.Errorf("unterminated string")
			}
			out = append(out, token{kind: tStr, text: s[i : j+1], val: b.String()})
			i = j + 1
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(s) && (s[j] == '_' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			out = append(out, token{kind: tIdent, text: s[i:j]})
			i = j
		default:
			two := ""
			if i+1 < len(s) {
				two = s[i : i+2]
			}
			switch two {
			case "==", "!=", "<=", ">=":
				out = append(out, token{kind: tOp, text: two})
				i += 2
				continue
			}
			if strings.IndexByte("+-*/%<>()[]{}.,:", c) < 0 {
				return nil, fmt.Errorf("unexpected character %q", c)
			}
			out = append(out, token{kind: tOp, text: string(c)})
			i++
		}
	}
	return out, nil
}

// ---- parser ----

type exprParser struct {
	toks []token
	pos  int
}

func (p *exprParser) peek() (token, bool) {
	if p.pos < len(p.toks) {
		return p.toks[p.pos], true
	}
	return token{}, false
}

func (p *exprParser) isOp(text string) bool {
	t, ok := p.peek()
	return ok && t.kind == tOp && t.text == text
}

func (p *exprParser) isWord(text string) bool {
	t, ok := p.peek()
	return ok && t.kind == tIdent && t.text == text
}

func (p *exprParser) expectOp(text string) error {
	if !p.isOp(text) {
		if t, ok := p.peek(); ok {
			return fmt.Errorf("expected %q, got %q", text, t.text)
		}
		return fmt.Errorf("expected %q at the end", text)
	}
	p.pos++
	return nil
}

func (p *exprParser) parseOr() (exprNode, error) {
	l, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for p.isWord("or") {
		p.pos++
		r, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		l = &binNode{op: "or", l: l, r: r}
	}
	return l, nil
}

func (p *exprParser) parseAnd() (exprNode, error) {
	l, err := p.parseCmp()
	if err != nil {
		return nil, err
	}
	for p.isWord("and") {
		p.pos++
		r, err := p.parseCmp()
		if err != nil {
			return nil, err
		}
		l = &binNode{op: "and", l: l, r: r}
	}
	return l, nil
}

func (p *exprParser) parseCmp() (exprNode, error) {
	l, err := p.parseAdd()
	if err != nil {
		return nil, err
	}
	for _, op := range []string{"==", "!=", "<=", ">=", "<", ">"} {
		if p.isOp(op) {
			p.pos++
			r, err := p.parseAdd()
			if err != nil {
				return nil, err
			}
			return &binNode{op: op, l: l, r: r}, nil
		}
	}
	return l, nil
}

func (p *exprParser) parseAdd() (exprNode, error) {
	l, err := p.parseMul()
	if err != nil {
		return nil, err
	}
	for p.isOp("+") || p.isOp("-") {
		op := p.toks[p.pos].text
		p.pos++
		r, err := p.parseMul()
		if err != nil {
			return nil, err
		}
		l = &binNode{op: op, l: l, r: r}
	}
	return l, nil
}

func (p *exprParser) parseMul() (exprNode, error) {
	l, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for p.isOp("*") || p.isOp("/") || p.isOp("%") {
		op := p.toks[p.pos].text
		p.pos++
		r, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		l = &binNode{op: op, l: l, r: r}
	}
	return l, nil
}

func (p *exprParser) parseUnary() (exprNode, error) {
	if p.isWord("not") || p.isOp("-") {
		op := p.toks[p.pos].text
		p.pos++
		x, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		return &unNode{op: op, x: x}, nil
	}
	return p.parsePostfix()
}

func (p *exprParser) parsePostfix() (exprNode, error) {
	x, err := p.parsePrimary()
	if err != nil {
		return nil, err
	}
	for {
		switch {
		case p.isOp("."):
			p.pos++
			t, ok := p.peek()
			if !ok || t.kind != tIdent {
				return nil, fmt.Errorf("expected a field name after \".\"")
			}
			p.pos++
			x = &fieldNode{x: x, name: t.text}
		case p.isOp("["):
			p.pos++
			i, err := p.parseOr()
			if err != nil {
				return nil, err
			}
			if err := p.expectOp("]"); err != nil {
				return nil, err
			}
			x = &indexNode{x: x, i: i}
		case p.isOp("("):
			name, ok := dottedName(x)
			if !ok {
				return nil, fmt.Errorf("only named functions can be called")
			}
			p.pos++
			var args []exprNode
			for !p.isOp(")") {
				a, err := p.parseOr()
				if err != nil {
					return nil, err
				}
				args = append(args, a)
				if !p.isOp(",") {
					break
				}
				p.pos++
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
			x = &callNode{fn: name, args: args}
		default:
			return x, nil
		}
	}
}

func dottedName(n exprNode) (string, bool) {
	switch x := n.(type) {
	case *identNode:
		return x.name, true
	case *fieldNode:
		base, ok := dottedName(x.x)
		return base + "." + x.name, ok
	}
	return "", false
}

func (p *exprParser) parsePrimary() (exprNode, error) {
	t, ok := p.peek()
	if !ok {
		return nil, fmt.Errorf("unexpected end of expression")
	}
	p.pos++
	switch t.kind {
	case tNum, tStr:
		return &litNode{v: t.val}, nil
	case tIdent:
		switch t.text {
		case "true":
			return &litNode{v: true}, nil
		case "false":
			return &litNode{v: false}, nil
		case "null":
			return &litNode{v: nil}, nil
		}
		return &identNode{name: t.text}, nil
	}
	switch t.text {
	case "(":
		x, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		return x, p.expectOp(")")
	case "[":
		l := &listNode{}
		for !p.isOp("]") {
			x, err := p.parseOr()
			if err != nil {
				return nil, err
			}
			l.items = append(l.items, x)
			if !p.isOp(",") {
				break
			}
			p.pos++
		}
		return l, p.expectOp("]")
	case "{":
		m := &mapNode{}
		for !p.isOp("}") {
			k, ok := p.peek()
			if !ok || (k.kind != tStr && k.kind != tIdent) {
				return nil, fmt.Errorf("expected a map key")
			}
			p.pos++
			if err := p.expectOp(":"); err != nil {
				return nil, err
			}
			v, err := p.parseOr()
			if err != nil {
				return nil, err
			}
			key := k.text
			if k.kind == tStr {
				key = k.val.(string)
			}
			m.keys, m.vals = append(m.keys, key), append(m.vals, v)
			if !p.isOp(",") {
				break
			}
			p.pos++
		}
		return m, p.expectOp("}")
	}
	return nil, fmt.Errorf("unexpected %q", t.text)
}

// ---- evaluation ----

type exprNode interface {
	eval(env *Env) (any, error)
}

type (
	litNode   struct{ v any }
	identNode struct{ name string }
	fieldNode struct {
		x    exprNode
		name string
	}
	indexNode struct{ x, i exprNode }
	callNode  struct {
		fn   string
		args []exprNode
	}
	binNode struct {
		op   string
		l, r exprNode
	}
	unNode struct {
		op string
		x  exprNode
	}
	listNode struct{ items []exprNode }
	mapNode  struct {
		keys []string
		vals []exprNode
	}
)

func (n *litNode) eval(*Env) (any, error) { return n.v, nil }

func (n *identNode) eval(env *Env) (any, error) {
	v, ok := env.Vars[n.name]
	if !ok {
		return nil, fmt.Errorf("KeyError: variable %q is not defined", n.name)
	}
	return v, nil
}

func (n *fieldNode) eval(env *Env) (any, error) {
	x, err := n.x.eval(env)
	if err != nil {
		return nil, err
	}
	m, ok := x.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("TypeError: cannot read field %q of %s", n.name, typeName(x))
	}
	v, ok := m[n.name]
	if !ok {
		return nil, fmt.Errorf("KeyError: key not found: %s", n.name)
	}
	return v, nil
}

func (n *indexNode) eval(env *Env) (any, error) {
	x, err := n.x.eval(env)
	if err != nil {
		return nil, err
	}
	i, err := n.i.eval(env)
	if err != nil {
		return nil, err
	}
	switch c := x.(type) {
	case map[string]any:
		k, ok := i.(string)
		if !ok {
			return nil, fmt.Errorf("TypeError: map keys are strings, got %s", typeName(i))
		}
		v, ok := c[k]
		if !ok {
			return nil, fmt.Errorf("KeyError: key not found: %s", k)
		}
		return v, nil
	case []any:
		idx, ok := i.(int64)
		if !ok {
			return nil, fmt.Errorf("TypeError: list indexes are integers, got %s", typeName(i))
		}
		if idx < 0 || idx >= int64(len(c)) {
			return nil, fmt.Errorf("IndexError: list index %d out of range", idx)
		}
		return c[idx], nil
	}
	return nil, fmt.Errorf("TypeError: cannot index %s", typeName(x))
}

func (n *listNode) eval(env *Env) (any, error) {
	out := make([]any, len(n.items))
	for i, it := range n.items {
		v, err := it.eval(env)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (n *mapNode) eval(env *Env) (any, error) {
	out := map[string]any{}
	for i, k := range n.keys {
		v, err := n.vals[i].eval(env)
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

func (n *unNode) eval(env *Env) (any, error) {
	x, err := n.x.eval(env)
	if err != nil {
		return nil, err
	}
	if n.op == "not" {
		b, ok := x.(bool)
		if !ok {
			return nil, fmt.Errorf("TypeError: not needs a boolean, got %s", typeName(x))
		}
		return !b, nil
	}
	switch v := x.(type) {
	case int64:
		return -v, nil
	case float64:
		return -v, nil
	}
	return nil, fmt.Errorf("TypeError: cannot negate %s", typeName(x))
}

func (n *binNode) eval(env *Env) (any, error) {
	l, err := n.l.eval(env)
	if err != nil {
		return nil, err
	}
	if n.op == "and" || n.op == "or" {
		lb, ok := l.(bool)
		if !ok {
			return nil, fmt.Errorf("TypeError: %s needs booleans, got %s", n.op, typeName(l))
		}
		if (n.op == "and" && !lb) || (n.op == "or" && lb) {
			return lb, nil
		}
		r, err := n.r.eval(env)
		if err != nil {
			return nil, err
		}
		rb, ok := r.(bool)
		if !ok {
			return nil, fmt.Errorf("TypeError: %s needs booleans, got %s", n.op, typeName(r))
		}
		return rb, nil
	}
	r, err := n.r.eval(env)
	if err != nil {
		return nil, err
	}
	switch n.op {
	case "==":
		return valuesEqual(l, r), nil
	case "!=":
		return !valuesEqual(l, r), nil
	case "+":
		if ls, ok := l.(string); ok {
			if rs, ok := r.(string); ok {
				return ls + rs, nil
			}
		}
		if ll, ok := l.([]any); ok {
			if rl, ok := r.([]any); ok {
				return append(append([]any{}, ll...), rl...), nil
			}
		}
	case "<", "<=", ">", ">=":
		if ls, ok := l.(string); ok {
			if rs, ok := r.(string); ok {
				c := strings.Compare(ls, rs)
				return compareResult(n.op, float64(c)), nil
			}
		}
	}
	return arith(n.op, l, r)
}

func compareResult(op string, diff float64) bool {
	switch op {
	case "<":
		return diff < 0
	case "<=":
		return diff <= 0
	case ">":
		return diff > 0
	default:
		return diff >= 0
	}
}

func arith(op string, l, r any) (any, error) {
	li, lInt := l.(int64)
	ri, rInt := r.(int64)
	lf, lok := toFloat(l)
	rf, rok := toFloat(r)
	if !lok || !rok {
		return nil, fmt.Errorf("TypeError: unsupported operand types for %s: %s and %s", op, typeName(l), typeName(r))
	}
	switch op {
	case "<", "<=", ">", ">=":
		return compareResult(op, lf-rf), nil
	}
	if lInt && rInt {
		switch op {
		case "+":
			return li + ri, nil
		case "-":
			return li - ri, nil
		case "*":
			return li * ri, nil
		case "%":
			if ri == 0 {
				return nil, fmt.Errorf("ZeroDivisionError: division by zero")
			}
			return li % ri, nil
		}
	}
	switch op {
	case "+":
		return lf + rf, nil
	case "-":
		return lf - rf, nil
	case "*":
		return lf * rf, nil
	case "/":
		if rf == 0 {
			return nil, fmt.Errorf("ZeroDivisionError: division by zero")
		}
		return lf / rf, nil
	case "%":
		if rf == 0 {
			return nil, fmt.Errorf("ZeroDivisionError: division by zero")
		}
		return math.Mod(lf, rf), nil
	}
	return nil, fmt.Errorf("unknown operator %s", op)
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

func valuesEqual(a, b any) bool {
	if af, ok := toFloat(a); ok {
		bf, ok := toFloat(b)
		return ok && af == bf
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case int64:
		return "integer"
	case float64:
		return "double"
	case bool:
		return "boolean"
	case []any:
		return "list"
	case map[string]any:
		return "map"
	}
	return fmt.Sprintf("%T", v)
}

func (n *callNode) eval(env *Env) (any, error) {
	args := make([]any, len(n.args))
	for i, a := range n.args {
		// default(x, d) must tolerate an undefined x.
		v, err := a.eval(env)
		if err != nil {
			if n.fn == "default" && i == 0 {
				v = nil
			} else {
				return nil, err
			}
		}
		args[i] = v
	}
	want := func(k int) error {
		if len(args) != k {
			return fmt.Errorf("%s() takes %d argument(s), got %d", n.fn, k, len(args))
		}
		return nil
	}
	switch n.fn {
	case "default":
		if err := want(2); err != nil {
			return nil, err
		}
		if args[0] == nil {
			return args[1], nil
		}
		return args[0], nil
	case "len":
		if err := want(1); err != nil {
			return nil, err
		}
		switch x := args[0].(type) {
		case string:
			return int64(len([]rune(x))), nil
		case []any:
			return int64(len(x)), nil
		case map[string]any:
			return int64(len(x)), nil
		}
		return nil, fmt.Errorf("TypeError: len() of %s", typeName(args[0]))
	case "keys":
		if err := want(1); err != nil {
			return nil, err
		}
		m, ok := args[0].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("TypeError: keys() of %s", typeName(args[0]))
		}
		ks := make([]string, 0, len(m))
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		out := make([]any, len(ks))
		for i, k := range ks {
			out[i] = k
		}
		return out, nil
	case "string":
		if err := want(1); err != nil {
			return nil, err
		}
		switch x := args[0].(type) {
		case string:
			return x, nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		case float64:
			return strconv.FormatFloat(x, 'g', -1, 64), nil
		case bool:
			return strconv.FormatBool(x), nil
		}
		return nil, fmt.Errorf("TypeError: string() of %s", typeName(args[0]))
	case "int":
		if err := want(1); err != nil {
			return nil, err
		}
		switch x := args[0].(type) {
		case int64:
			return x, nil
		case float64:
			return int64(x), nil
		case string:
			i, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("ValueError: int() of %q", x)
			}
			return i, nil
		}
		return nil, fmt.Errorf("TypeError: int() of %s", typeName(args[0]))
	case "double":
		if err := want(1); err != nil {
			return nil, err
		}
		if f, ok := toFloat(args[0]); ok {
			return f, nil
		}
		if s, ok := args[0].(string); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err == nil {
				return f, nil
			}
		}
		return nil, fmt.Errorf("ValueError: double() of %v", args[0])
	case "map.get":
		if err := want(2); err != nil {
			return nil, err
		}
		m, _ := args[0].(map[string]any)
		k, _ := args[1].(string)
		return m[k], nil
	case "text.to_lower", "text.to_upper":
		if err := want(1); err != nil {
			return nil, err
		}
		s, ok := args[0].(string)
		if !ok {
			return nil, fmt.Errorf("TypeError: %s() of %s", n.fn, typeName(args[0]))
		}
		if n.fn == "text.to_lower" {
			return strings.ToLower(s), nil
		}
		return strings.ToUpper(s), nil
	case "json.encode_to_string":
		if err := want(1); err != nil {
			return nil, err
		}
		b, err := json.Marshal(args[0])
		if err != nil {
			return nil, fmt.Errorf("ValueError: %v", err)
		}
		return string(b), nil
	case "json.decode":
		if err := want(1); err != nil {
			return nil, err
		}
		s, ok := args[0].(string)
		if !ok {
			return nil, fmt.Errorf("TypeError: json.decode() of %s", typeName(args[0]))
		}
		return DecodeJSON([]byte(s))
	case "sys.get_env":
		if err := want(1); err != nil {
			return nil, err
		}
		k, _ := args[0].(string)
		if v, ok := env.SysEnv[k]; ok {
			return v, nil
		}
		return nil, nil
	}
	return nil, fmt.Errorf("function %s() is not supported", n.fn)
}

// DecodeJSON decodes JSON into normalised values (integers as int64).
func DecodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("ValueError: not JSON: %v", err)
	}
	return Normalize(v), nil
}
