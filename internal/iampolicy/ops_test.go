package iampolicy

import (
	"encoding/json"
	"reflect"
	"testing"
)

const (
	invoker = "roles/run.invoker"
	viewer  = "roles/run.viewer"
	alice   = "user:alice@example.com"
	bob     = "user:bob@example.com"
	sched   = "serviceAccount:sched@demo-project.iam.gserviceaccount.com"
)

var workHours = &Condition{Title: "work hours", Expression: `request.time.getHours("UTC") < 18`}

func policy(bindings ...Binding) *Policy {
	return &Policy{Version: 1, Etag: "BwY=", Bindings: bindings}
}

func bind(role string, cond *Condition, members ...string) Binding {
	return Binding{Role: role, Members: members, Condition: cond}
}

func TestAddMember(t *testing.T) {
	tests := []struct {
		name        string
		start       *Policy
		role        string
		member      string
		cond        *Condition
		wantChanged bool
		want        *Policy
	}{
		{"into empty policy", policy(), invoker, alice, nil, true, policy(bind(invoker, nil, alice))},
		{"into existing binding", policy(bind(invoker, nil, bob)), invoker, alice, nil, true, policy(bind(invoker, nil, bob, alice))},
		{"already present", policy(bind(invoker, nil, alice)), invoker, alice, nil, false, policy(bind(invoker, nil, alice))},
		{"already present in other case", policy(bind(invoker, nil, alice)), invoker, "user:Alice@Example.com", nil, false, policy(bind(invoker, nil, alice))},
		{"stored lower-cased", policy(), invoker, "user:Alice@Example.com", nil, true, policy(bind(invoker, nil, alice))},
		{"other role is separate", policy(bind(viewer, nil, alice)), invoker, alice, nil, true, policy(bind(viewer, nil, alice), bind(invoker, nil, alice))},
		{"condition makes a separate binding and version 3", policy(bind(invoker, nil, alice)), invoker, alice, workHours, true,
			&Policy{Version: 3, Etag: "BwY=", Bindings: []Binding{bind(invoker, nil, alice), bind(invoker, workHours, alice)}}},
		{"empty condition is no condition", policy(bind(invoker, nil, alice)), invoker, alice, &Condition{}, false, policy(bind(invoker, nil, alice))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.start.Clone()
			if got := p.AddMember(tt.role, tt.member, tt.cond); got != tt.wantChanged {
				t.Errorf("changed = %v, want %v", got, tt.wantChanged)
			}
			if !reflect.DeepEqual(p, tt.want) {
				t.Errorf("policy:\n got %+v\nwant %+v", p, tt.want)
			}
		})
	}
}

func TestRemoveMember(t *testing.T) {
	tests := []struct {
		name        string
		start       *Policy
		member      string
		cond        *Condition
		wantChanged bool
		want        *Policy
	}{
		{"one of two", policy(bind(invoker, nil, alice, bob)), alice, nil, true, policy(bind(invoker, nil, bob))},
		{"last member drops the binding", policy(bind(invoker, nil, alice), bind(viewer, nil, bob)), alice, nil, true, policy(bind(viewer, nil, bob))},
		{"absent", policy(bind(invoker, nil, bob)), alice, nil, false, policy(bind(invoker, nil, bob))},
		{"case-insensitive email", policy(bind(invoker, nil, alice)), "user:ALICE@example.com", nil, true, policy()},
		{"condition must match", policy(bind(invoker, workHours, alice)), alice, nil, false, policy(bind(invoker, workHours, alice))},
		{"conditional binding", policy(bind(invoker, workHours, alice), bind(invoker, nil, alice)), alice, workHours, true, policy(bind(invoker, nil, alice))},
		{"from duplicate bindings", policy(bind(invoker, nil, alice), bind(invoker, nil, alice, bob)), alice, nil, true, policy(bind(invoker, nil, bob))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.start.Clone()
			if got := p.RemoveMember(invoker, tt.member, tt.cond); got != tt.wantChanged {
				t.Errorf("changed = %v, want %v", got, tt.wantChanged)
			}
			if len(p.Bindings) == 0 {
				p.Bindings = nil
			}
			if !reflect.DeepEqual(p, tt.want) {
				t.Errorf("policy:\n got %+v\nwant %+v", p, tt.want)
			}
		})
	}
}

func TestHasMemberAndMembers(t *testing.T) {
	p := policy(bind(invoker, nil, bob, "user:Alice@example.com"), bind(invoker, nil, alice, sched), bind(invoker, workHours, "group:g@example.com"))
	if !p.HasMember(invoker, alice, nil) || !p.HasMember(invoker, "user:ALICE@example.com", nil) {
		t.Error("HasMember(alice) = false")
	}
	if p.HasMember(invoker, "group:g@example.com", nil) {
		t.Error("HasMember ignores the condition")
	}
	if !p.HasMember(invoker, "group:g@example.com", &Condition{Title: "work hours", Expression: workHours.Expression}) {
		t.Error("HasMember with an equal condition value = false")
	}
	if (*Policy)(nil).HasMember(invoker, alice, nil) {
		t.Error("nil policy has a member")
	}
	want := []string{sched, alice, bob}
	if got := p.Members(invoker, nil); !reflect.DeepEqual(got, want) {
		t.Errorf("Members = %q, want %q", got, want)
	}
	if got := p.Members(viewer, nil); got != nil {
		t.Errorf("Members(viewer) = %q, want nil", got)
	}
}

func TestSetMembers(t *testing.T) {
	tests := []struct {
		name                string
		start               *Policy
		cond                *Condition
		members             []string
		wantAdded, wantRemd []string
		want                *Policy
	}{
		{"replace", policy(bind(invoker, nil, alice), bind(viewer, nil, bob)), nil, []string{bob, sched},
			[]string{sched, bob}, []string{alice}, policy(bind(invoker, nil, sched, bob), bind(viewer, nil, bob))},
		{"same set in other order and case is no change", policy(bind(invoker, nil, alice, bob)), nil, []string{"user:BOB@example.com", alice},
			nil, nil, policy(bind(invoker, nil, alice, bob))},
		{"empty removes the binding", policy(bind(invoker, nil, alice), bind(viewer, nil, bob)), nil, nil,
			nil, []string{alice}, policy(bind(viewer, nil, bob))},
		{"merges duplicate bindings", policy(bind(invoker, nil, alice), bind(viewer, nil, bob), bind(invoker, nil, bob)), nil, []string{alice},
			nil, []string{bob}, policy(bind(invoker, nil, alice), bind(viewer, nil, bob))},
		{"creates conditional binding, leaves unconditional", policy(bind(invoker, nil, alice)), workHours, []string{bob},
			[]string{bob}, nil, &Policy{Version: 3, Etag: "BwY=", Bindings: []Binding{bind(invoker, nil, alice), bind(invoker, workHours, bob)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.start.Clone()
			added, removed := p.SetMembers(invoker, tt.cond, tt.members)
			if !reflect.DeepEqual(added, tt.wantAdded) || !reflect.DeepEqual(removed, tt.wantRemd) {
				t.Errorf("added %q removed %q, want %q %q", added, removed, tt.wantAdded, tt.wantRemd)
			}
			if !reflect.DeepEqual(p, tt.want) {
				t.Errorf("policy:\n got %+v\nwant %+v", p, tt.want)
			}
		})
	}
}

func TestCloneIsDeep(t *testing.T) {
	p := policy(bind(invoker, workHours, alice))
	c := p.Clone()
	c.Bindings[0].Members[0] = bob
	c.Bindings[0].Condition.Title = "changed"
	if p.Bindings[0].Members[0] != alice || p.Bindings[0].Condition.Title != "work hours" {
		t.Errorf("Clone shares memory with the original: %+v", p)
	}
	if (*Policy)(nil).Clone() != nil {
		t.Error("nil Clone is not nil")
	}
}

func TestNormalize(t *testing.T) {
	p := &Policy{Version: 1, Etag: "e", Bindings: []Binding{
		bind(viewer, nil, bob),
		bind(invoker, workHours, alice),
		bind(invoker, nil, bob, "user:ALICE@example.com"),
		bind("roles/empty", nil),
		bind(invoker, &Condition{}, alice, bob),
	}}
	p.Normalize()
	want := &Policy{Version: 3, Etag: "e", Bindings: []Binding{
		bind(invoker, nil, alice, bob),
		bind(invoker, workHours, alice),
		bind(viewer, nil, bob),
	}}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("Normalize:\n got %+v\nwant %+v", p, want)
	}
	empty := &Policy{Bindings: []Binding{bind(invoker, nil)}}
	empty.Normalize()
	if empty.Bindings != nil {
		t.Errorf("empty bindings kept: %+v", empty.Bindings)
	}
}

func TestJSONWireFormat(t *testing.T) {
	wire := `{"version":3,"etag":"BwYz","bindings":[{"role":"roles/run.invoker","members":["allUsers"]},` +
		`{"role":"roles/run.invoker","members":["user:a@b.com"],"condition":{"title":"t","description":"d","expression":"true"}}]}`
	var p Policy
	if err := json.Unmarshal([]byte(wire), &p); err != nil {
		t.Fatal(err)
	}
	want := Policy{Version: 3, Etag: "BwYz", Bindings: []Binding{
		bind(invoker, nil, "allUsers"),
		bind(invoker, &Condition{Title: "t", Description: "d", Expression: "true"}, "user:a@b.com"),
	}}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("decoded %+v", p)
	}
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != wire {
		t.Errorf("encoded\n %s\nwant\n %s", out, wire)
	}
	empty, _ := json.Marshal(Policy{Version: 1, Etag: "ACAB"})
	if string(empty) != `{"version":1,"etag":"ACAB"}` {
		t.Errorf("empty policy encodes as %s", empty)
	}
}

func TestValidateRole(t *testing.T) {
	tests := []struct {
		role    string
		wantErr string
	}{
		{"roles/run.invoker", ""},
		{"roles/iam.serviceAccountTokenCreator", ""},
		{"projects/my-project/roles/customInvoker", ""},
		{"organizations/123/roles/my_role.v2", ""},
		{"", "role is empty"},
		{"run.invoker", `write "roles/run.invoker"`},
		{"roles/", "is not valid"},
		{"roles/run invoker", "is not valid"},
		{"role/run.invoker", "is not valid"},
		{"projects//roles/x", "is not valid"},
		{"folders/1/roles/x", "is not valid"},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			err := ValidateRole(tt.role)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tt.wantErr != "" && (err == nil || !contains(err.Error(), tt.wantErr)):
				t.Errorf("error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestValidateCondition(t *testing.T) {
	if err := ValidateCondition(nil); err != nil {
		t.Errorf("nil: %v", err)
	}
	if err := ValidateCondition(workHours); err != nil {
		t.Errorf("valid: %v", err)
	}
	if err := ValidateCondition(&Condition{Title: "t"}); err == nil || !contains(err.Error(), "no expression") {
		t.Errorf("missing expression: %v", err)
	}
	if err := ValidateCondition(&Condition{Expression: "true"}); err == nil || !contains(err.Error(), "no title") {
		t.Errorf("missing title: %v", err)
	}
}
