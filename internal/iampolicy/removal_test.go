package iampolicy

import (
	"reflect"
	"testing"
)

func TestMayRemove(t *testing.T) {
	const foreign = "user:foreign@example.com"
	tests := []struct {
		name      string
		managed   []string // members the resource managed before this apply
		want      []string // members the configuration lists now
		exclusive bool
		wantOut   Removal
	}{
		{"create: nothing managed yet", nil, []string{alice}, false, Removal{Members: []string{}}},
		{"import: nothing managed, config lists a member someone holds", nil, []string{alice, bob}, false, Removal{Members: []string{}}},
		{"unchanged config", []string{alice, bob}, []string{alice, bob}, false, Removal{Members: []string{}}},
		{"member removed from config", []string{alice, bob}, []string{alice}, false, Removal{Members: []string{bob}}},
		{"member replaced", []string{alice}, []string{bob}, false, Removal{Members: []string{alice}}},
		{"same member in other case stays", []string{"user:Alice@Example.com"}, []string{alice}, false, Removal{Members: []string{}}},
		{"exclusive true to false: foreign holder never managed", []string{alice}, []string{alice}, false, Removal{Members: []string{}}},
		{"exclusive true to false and a listed member dropped", []string{alice, bob}, []string{alice}, false, Removal{Members: []string{bob}}},
		{"destroy removes managed only", []string{alice, bob}, nil, false, Removal{Members: []string{alice, bob}}},
		{"destroy after import removes nothing", nil, nil, false, Removal{Members: []string{}}},
		{"exclusive owns the binding", []string{alice}, []string{alice}, true, Removal{AllOthers: true}},
		{"false to true", []string{alice}, []string{alice, sched}, true, Removal{AllOthers: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MayRemove(tt.managed, tt.want, tt.exclusive)
			if !reflect.DeepEqual(got, tt.wantOut) {
				t.Fatalf("MayRemove(%v, %v, %v) = %+v, want %+v", tt.managed, tt.want, tt.exclusive, got, tt.wantOut)
			}
			for _, m := range got.Members {
				if m == foreign {
					t.Fatalf("removes %s, which was never managed", foreign)
				}
			}
		})
	}
}

func TestSubtractIntersect(t *testing.T) {
	a := []string{bob, "user:Alice@Example.com", bob}
	b := []string{alice, sched}
	if got, want := Subtract(a, b), []string{bob}; !reflect.DeepEqual(got, want) {
		t.Errorf("Subtract = %v, want %v", got, want)
	}
	if got, want := Intersect(a, b), []string{alice}; !reflect.DeepEqual(got, want) {
		t.Errorf("Intersect = %v, want %v", got, want)
	}
}
