package setup

import (
	"context"
	"fmt"
	"io"
)

// State of a step.
type State int

// States of a step.
const (
	// Missing: the step has not been done.
	Missing State = iota
	// InPlace: nothing to do.
	InPlace
	// Differs: the resource exists with other settings; Apply updates it.
	Differs
)

// Status is the outcome of a step's Check.
type Status struct {
	State State
	// Detail says how it is in place (e.g. "through the project-level
	// role") or what differs.
	Detail string
}

// Step is one link of the chain setup puts in place.
type Step interface {
	// Describe says what the step ensures, e.g. "service account x exists".
	Describe() string
	// Check reports whether the step is in place. It changes nothing.
	Check(ctx context.Context) (Status, error)
	// Apply performs the step.
	Apply(ctx context.Context) error
	// Terraform returns the step's HCL: resource blocks plus an import block
	// when the resource exists exactly as Terraform would manage it, or a
	// comment when it is in place another way.
	Terraform(ctx context.Context) (string, error)
}

// preflighter is a step that may refuse the whole run before anything is
// changed (a job that belongs to someone else).
type preflighter interface {
	Preflight(ctx context.Context) error
}

// Report sums up a run.
type Report struct {
	// InPlace counts steps already in place.
	InPlace int
	// Missing counts steps not (or not quite) in place before the run.
	Missing int
	// Applied counts steps performed by the run.
	Applied int
}

func label(s State) string {
	switch s {
	case InPlace:
		return "[ok]     "
	case Differs:
		return "[differs]"
	}
	return "[missing]"
}

// Run checks every step and, with apply, performs those not in place, in
// order, printing one line per step (and per action) to w. It stops at the
// first failing step.
func (s *Setup) Run(ctx context.Context, w io.Writer, apply bool) (Report, error) {
	var rep Report
	if !apply {
		fmt.Fprintf(w, "gcpinvoke setup %s: dry run, nothing is changed\n", s.cfg.Walkthrough)
	} else {
		fmt.Fprintf(w, "gcpinvoke setup %s: applying\n", s.cfg.Walkthrough)
		for _, step := range s.steps {
			if p, ok := step.(preflighter); ok {
				if err := p.Preflight(ctx); err != nil {
					return rep, err
				}
			}
		}
	}
	for i, step := range s.steps {
		st, err := step.Check(ctx)
		if err != nil {
			return rep, fmt.Errorf("checking step %d (%s): %w", i+1, step.Describe(), err)
		}
		line := label(st.State) + " " + step.Describe()
		if st.Detail != "" {
			line += " (" + st.Detail + ")"
		}
		fmt.Fprintln(w, line)
		if st.State == InPlace {
			rep.InPlace++
			continue
		}
		rep.Missing++
		if !apply {
			continue
		}
		fmt.Fprintf(w, "  applying step %d/%d …\n", i+1, len(s.steps))
		if err := step.Apply(ctx); err != nil {
			fmt.Fprintf(w, "  failed\n")
			return rep, fmt.Errorf("step %d (%s): %w", i+1, step.Describe(), err)
		}
		rep.Applied++
		fmt.Fprintf(w, "  done\n")
	}
	switch {
	case rep.Missing == 0:
		fmt.Fprintf(w, "Nothing to do: all %d steps are in place.\n", len(s.steps))
	case apply:
		fmt.Fprintf(w, "Applied %d of %d steps; the chain is in place.\n", rep.Applied, len(s.steps))
	default:
		fmt.Fprintf(w, "%d of %d steps to do. Run again with --apply to perform them.\n", rep.Missing, len(s.steps))
	}
	return rep, nil
}
