// Package workflowsrc reads Google Cloud Workflows sources (YAML or JSON)
// into steps and finds the HTTP calls they make with their authentication.
// It is used by the emulator's interpreter and by the provider's plan-time
// checks, so both read a source the same way. It does no I/O.
package workflowsrc

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Workflow is a parsed workflow: its subworkflows by name, "main" always
// among them.
type Workflow struct {
	Subworkflows map[string]*Subworkflow
	root         *yaml.Node
}

// Main is the subworkflow an execution starts in.
func (w *Workflow) Main() *Subworkflow { return w.Subworkflows["main"] }

// Subworkflow is a named list of steps with parameters.
type Subworkflow struct {
	Name   string
	Params []string
	Steps  []*Step
}

// Step is one named step. Which fields are set tells its kind: Call (with
// Args and Result), Assign, Return, Raise or nested Steps; Next may come
// with any of them. A kind this package does not model (switch, for, try,
// parallel) is kept as Unsupported with its key, so a source using it still
// parses.
type Step struct {
	Name string
	Line int

	Call   string
	Args   map[string]any
	Result string

	Assign    []Assignment
	Return    any
	HasReturn bool
	Raise     any
	HasRaise  bool
	Steps     []*Step
	Next      string

	// Unsupported names the step's key this package does not model, "" if none.
	Unsupported string
}

// Assignment is one `name: value` entry of an assign step, in order.
type Assignment struct {
	Name  string
	Value any
}

// maxSourceBytes is Google's limit on a workflow source (128 KB).
const maxSourceBytes = 128 * 1024

// Parse reads a workflow source in YAML or JSON. The top level is either a
// list of steps (the main workflow) or a map of subworkflows, one of them
// "main", each with optional params and required steps.
func Parse(src string) (*Workflow, error) {
	if strings.TrimSpace(src) == "" {
		return nil, errors.New("the workflow source is empty: write its steps in YAML or JSON")
	}
	if len(src) > maxSourceBytes {
		return nil, fmt.Errorf("the workflow source is %d bytes; Workflows accepts at most %d", len(src), maxSourceBytes)
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader([]byte(src)))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("the workflow source is not valid YAML or JSON: %v", cleanYAMLError(err))
	}
	if len(doc.Content) == 0 {
		return nil, errors.New("the workflow source is empty: write its steps in YAML or JSON")
	}
	root := doc.Content[0]
	w := &Workflow{Subworkflows: map[string]*Subworkflow{}, root: root}
	switch root.Kind {
	case yaml.SequenceNode:
		steps, err := parseSteps(root, "main")
		if err != nil {
			return nil, err
		}
		w.Subworkflows["main"] = &Subworkflow{Name: "main", Params: nil, Steps: steps}
	case yaml.MappingNode:
		for i := 0; i+1 < len(root.Content); i += 2 {
			name, body := root.Content[i].Value, root.Content[i+1]
			sub, err := parseSubworkflow(name, body)
			if err != nil {
				return nil, err
			}
			w.Subworkflows[name] = sub
		}
		if w.Main() == nil {
			return nil, fmt.Errorf("line %d: the workflow has no main: a source that is a map must define a subworkflow named \"main\"", root.Line)
		}
	default:
		return nil, fmt.Errorf("line %d: the workflow source must be a list of steps or a map of subworkflows with \"main\"", root.Line)
	}
	return w, nil
}

func cleanYAMLError(err error) string {
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

func parseSubworkflow(name string, n *yaml.Node) (*Subworkflow, error) {
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: subworkflow %q must be a map with \"steps\" (and optional \"params\")", n.Line, name)
	}
	sub := &Subworkflow{Name: name}
	var stepsNode *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, n.Content[i+1]
		switch k {
		case "steps":
			stepsNode = v
		case "params":
			if v.Kind != yaml.SequenceNode {
				return nil, fmt.Errorf("line %d: params of %q must be a list", v.Line, name)
			}
			for _, p := range v.Content {
				switch p.Kind {
				case yaml.ScalarNode:
					sub.Params = append(sub.Params, p.Value)
				case yaml.MappingNode: // a parameter with a default value
					if len(p.Content) >= 2 {
						sub.Params = append(sub.Params, p.Content[0].Value)
					}
				}
			}
		default:
			return nil, fmt.Errorf("line %d: subworkflow %q has unknown key %q (expected \"params\" or \"steps\")", n.Content[i].Line, name, k)
		}
	}
	if stepsNode == nil {
		return nil, fmt.Errorf("line %d: subworkflow %q has no steps", n.Line, name)
	}
	steps, err := parseSteps(stepsNode, name)
	if err != nil {
		return nil, err
	}
	sub.Steps = steps
	return sub, nil
}

// parseSteps reads a list of single-key maps: `- name: {step body}`.
func parseSteps(n *yaml.Node, where string) ([]*Step, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("line %d: the steps of %s must be a list", n.Line, where)
	}
	if len(n.Content) == 0 {
		return nil, fmt.Errorf("line %d: %s has no steps", n.Line, where)
	}
	var out []*Step
	seen := map[string]bool{}
	for _, item := range n.Content {
		if item.Kind != yaml.MappingNode || len(item.Content) != 2 {
			return nil, fmt.Errorf("line %d: each step of %s must be a map with exactly one key, the step's name", item.Line, where)
		}
		name := item.Content[0].Value
		if seen[name] {
			return nil, fmt.Errorf("line %d: step name %q is used twice in %s", item.Line, name, where)
		}
		seen[name] = true
		st, err := parseStep(name, item.Content[1])
		if err != nil {
			return nil, err
		}
		st.Line = item.Content[0].Line
		out = append(out, st)
	}
	return out, nil
}

// unsupportedKeys are step kinds Workflows has and this package keeps opaque.
var unsupportedKeys = map[string]bool{"switch": true, "for": true, "try": true, "except": true, "retry": true, "parallel": true}

func parseStep(name string, n *yaml.Node) (*Step, error) {
	st := &Step{Name: name}
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: step %q must be a map (call, assign, return, raise, steps, next, …)", n.Line, name)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, n.Content[i+1]
		var err error
		switch k {
		case "call":
			st.Call, err = scalar(v, name, k)
		case "result":
			st.Result, err = scalar(v, name, k)
		case "next":
			st.Next, err = scalar(v, name, k)
		case "args":
			var m map[string]any
			if v.Kind != yaml.MappingNode {
				return nil, fmt.Errorf("line %d: args of step %q must be a map", v.Line, name)
			}
			if err := v.Decode(&m); err != nil {
				return nil, fmt.Errorf("line %d: args of step %q: %v", v.Line, name, cleanYAMLError(err))
			}
			st.Args = m
		case "assign":
			st.Assign, err = parseAssign(v, name)
		case "return":
			st.HasReturn = true
			err = v.Decode(&st.Return)
		case "raise":
			st.HasRaise = true
			err = v.Decode(&st.Raise)
		case "steps":
			st.Steps, err = parseSteps(v, fmt.Sprintf("step %q", name))
		default:
			if !unsupportedKeys[k] {
				return nil, fmt.Errorf("line %d: step %q has unknown key %q", n.Content[i].Line, name, k)
			}
			if st.Unsupported == "" {
				st.Unsupported = k
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if st.Args != nil && st.Call == "" {
		return nil, fmt.Errorf("line %d: step %q has args but no call", n.Line, name)
	}
	return st, nil
}

func scalar(v *yaml.Node, step, key string) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", fmt.Errorf("line %d: %s of step %q must be a string", v.Line, key, step)
	}
	return v.Value, nil
}

func parseAssign(v *yaml.Node, step string) ([]Assignment, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("line %d: assign of step %q must be a list of `name: value` entries", v.Line, step)
	}
	var out []Assignment
	for _, item := range v.Content {
		if item.Kind != yaml.MappingNode || len(item.Content) != 2 {
			return nil, fmt.Errorf("line %d: each assign entry of step %q must be one `name: value`", item.Line, step)
		}
		var val any
		if err := item.Content[1].Decode(&val); err != nil {
			return nil, fmt.Errorf("line %d: assign of step %q: %v", item.Line, step, cleanYAMLError(err))
		}
		out = append(out, Assignment{Name: item.Content[0].Value, Value: val})
	}
	return out, nil
}
