package iamengine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// One change that Google refuses with 400 naming a member or a role fails
// alone, with Google's reason and what it names; every other change in the
// same batch is written by one more write.
func TestApplyRejectsOnlyTheChangeGoogleNamed(t *testing.T) {
	const (
		ghostUser  = "user:ghost@example.com"
		ghostGroup = "group:nobody@example.com"
		ghostSA    = "serviceAccount:ghost@demo-project.iam.gserviceaccount.com"
		adminRole  = "roles/run.admin"
		viewerRole = "roles/run.viewer"
		devRole    = "roles/run.developer"
	)
	tests := []struct {
		name string
		bad  iampolicy.Mutation
		// refuse returns Google's answer when the written policy holds
		// what the bad change introduced.
		refuse      func(p *iampolicy.Policy) error
		lookup      *accountLookup
		wantMember  string
		wantRole    string
		wantMissing bool
		wantHas     []string
	}{
		{
			name: "user that does not exist",
			bad:  iampolicy.AddMembers(invoker, nil, ghostUser),
			refuse: func(p *iampolicy.Policy) error {
				if p.HasMember(invoker, ghostUser, nil) {
					return googleErr(400, "INVALID_ARGUMENT", "User ghost@example.com does not exist.")
				}
				return nil
			},
			wantMember: ghostUser, wantRole: invoker,
			wantHas: []string{"refused member user:ghost@example.com for role roles/run.invoker", "User ghost@example.com does not exist."},
		},
		{
			name: "group named in full, in quotes",
			bad:  iampolicy.AddMembers(viewerRole, nil, ghostGroup),
			refuse: func(p *iampolicy.Policy) error {
				if p.HasMember(viewerRole, ghostGroup, nil) {
					return googleErr(400, "INVALID_ARGUMENT", `Invalid argument: 'group:nobody@example.com' is not a valid principal.`)
				}
				return nil
			},
			wantMember: ghostGroup, wantRole: viewerRole,
			wantHas: []string{"group:nobody@example.com", "is not a valid principal"},
		},
		{
			name: "exclusive set naming a user that does not exist",
			bad:  iampolicy.SetAuthoritative(viewerRole, nil, "user:real@example.com", ghostUser),
			refuse: func(p *iampolicy.Policy) error {
				if p.HasMember(viewerRole, ghostUser, nil) {
					return googleErr(400, "INVALID_ARGUMENT", "User ghost@example.com does not exist.")
				}
				return nil
			},
			wantMember: ghostUser, wantRole: viewerRole,
		},
		{
			name: "role not supported on the resource",
			bad:  iampolicy.AddMembers(adminRole, nil, "user:carol@example.com"),
			refuse: func(p *iampolicy.Policy) error {
				if len(p.Members(adminRole, nil)) > 0 {
					return googleErr(400, "INVALID_ARGUMENT", "Role roles/run.admin is not supported for this resource.")
				}
				return nil
			},
			wantRole: adminRole,
			wantHas:  []string{"refused role roles/run.admin", "not supported for this resource"},
		},
		{
			name:   "service account looked up and missing",
			bad:    iampolicy.AddMembers(invoker, nil, ghostSA),
			lookup: &accountLookup{exists: false},
			refuse: func(p *iampolicy.Policy) error {
				if p.HasMember(invoker, ghostSA, nil) {
					return saMissing("ghost@demo-project.iam.gserviceaccount.com")
				}
				return nil
			},
			wantMember: ghostSA, wantRole: invoker, wantMissing: true,
			wantHas: []string{"ghost@demo-project.iam.gserviceaccount.com names a service account that does not exist", "Create the account or fix the member"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(iampolicy.Binding{Role: invoker, Members: []string{"user:foreign@example.com"}})
			f.beforeSet = func(_ context.Context, _ int, p *iampolicy.Policy) error { return tt.refuse(p) }
			opts := Options{}
			if tt.lookup != nil {
				opts.ServiceAccountExists = tt.lookup.lookup
			}
			b := newBatchEngine(t, opts)
			res := b.applyAll(t, f,
				batchCall{m: iampolicy.AddMembers(invoker, nil, alice)},
				batchCall{m: tt.bad},
				batchCall{m: iampolicy.RemoveMembers(invoker, nil, "user:foreign@example.com")},
				batchCall{m: iampolicy.AddMembers(devRole, nil, bob)},
			)
			for _, i := range []int{0, 2, 3} {
				if res[i].err != nil {
					t.Errorf("good change %d failed with its sibling: %v", i, res[i].err)
				}
			}
			var rej *RejectedError
			if !errors.As(res[1].err, &rej) {
				t.Fatalf("bad change: got %v, want a *RejectedError", res[1].err)
			}
			if rej.Member != tt.wantMember || rej.Role != tt.wantRole || rej.AccountMissing != tt.wantMissing || rej.Target != f.String() {
				t.Errorf("RejectedError{Target %q, Member %q, Role %q, AccountMissing %v}, want {%q, %q, %q, %v}",
					rej.Target, rej.Member, rej.Role, rej.AccountMissing, f.String(), tt.wantMember, tt.wantRole, tt.wantMissing)
			}
			if gcperr.Code(res[1].err) != 400 {
				t.Errorf("Google's 400 is not in the chain: %v", res[1].err)
			}
			if errors.Is(res[1].err, gcperr.ErrServiceAccountMissing) != tt.wantMissing {
				t.Errorf("errors.Is(ErrServiceAccountMissing) = %v, want %v", !tt.wantMissing, tt.wantMissing)
			}
			for _, want := range tt.wantHas {
				if !strings.Contains(res[1].err.Error(), want) {
					t.Errorf("error %q lacks %q", res[1].err, want)
				}
			}
			got := f.stored()
			if !got.HasMember(invoker, alice, nil) || !got.HasMember(devRole, bob, nil) || got.HasMember(invoker, "user:foreign@example.com", nil) {
				t.Errorf("the good changes were not all written: %+v", got.Bindings)
			}
			if tt.refuse(got) != nil {
				t.Errorf("the refused change was written: %+v", got.Bindings)
			}
			if gets, sets := f.counts(); gets != 1 || sets != 2 {
				t.Errorf("gets=%d sets=%d, want 1 read and 2 writes (the refused one, then the rest)", gets, sets)
			}
			if b.sl.count() != 0 {
				t.Errorf("backed off %d times: a refused change is not waited for", b.sl.count())
			}
			if tt.lookup != nil && tt.lookup.count() != 1 {
				t.Errorf("looked the account up %d times, want once", tt.lookup.count())
			}
		})
	}
}

// When Google's 400 names nothing any change in the batch introduced, the
// engine cannot tell whose fault it is: every caller gets the error, after
// a single write.
func TestApplyUnattributable400FailsBatchOnce(t *testing.T) {
	f := newFake()
	f.beforeSet = func(context.Context, int, *iampolicy.Policy) error {
		return googleErr(400, "INVALID_ARGUMENT", "The policy has too many bindings.")
	}
	b := newBatchEngine(t, Options{})
	res := b.applyAll(t, f,
		batchCall{m: iampolicy.AddMembers(invoker, nil, alice)},
		batchCall{m: iampolicy.AddMembers(invoker, nil, bob)})
	for i, r := range res {
		var rej *RejectedError
		if gcperr.Code(r.err) != 400 || errors.As(r.err, &rej) || !strings.Contains(r.err.Error(), "setting IAM policy on fake resource") {
			t.Errorf("caller %d: got %v, want the plain wrapped 400", i, r.err)
		}
	}
	if _, sets := f.counts(); sets != 1 {
		t.Errorf("sets=%d, want 1", sets)
	}
}

// Two different bad changes in one batch: Google names one per answer, so
// each costs one refused write; the good change still lands.
func TestApplyTwoRejectedChangesInOneBatch(t *testing.T) {
	f := newFake()
	f.beforeSet = func(_ context.Context, _ int, p *iampolicy.Policy) error {
		for _, u := range []string{"ghost1@example.com", "ghost2@example.com"} {
			if p.HasMember(invoker, "user:"+u, nil) {
				return googleErr(400, "INVALID_ARGUMENT", "User "+u+" does not exist.")
			}
		}
		return nil
	}
	b := newBatchEngine(t, Options{})
	res := b.applyAll(t, f,
		batchCall{m: iampolicy.AddMembers(invoker, nil, "user:ghost1@example.com")},
		batchCall{m: iampolicy.AddMembers(invoker, nil, alice)},
		batchCall{m: iampolicy.AddMembers(invoker, nil, "user:ghost2@example.com")})
	for _, i := range []int{0, 2} {
		var rej *RejectedError
		if !errors.As(res[i].err, &rej) || !strings.Contains(rej.Member, "ghost") {
			t.Errorf("caller %d: got %v, want a RejectedError naming its ghost", i, res[i].err)
		}
	}
	if res[1].err != nil {
		t.Errorf("good change failed: %v", res[1].err)
	}
	if got := f.stored().Members(invoker, nil); len(got) != 1 || got[0] != alice {
		t.Errorf("stored %v, want alice only", got)
	}
	if _, sets := f.counts(); sets != 3 {
		t.Errorf("sets=%d, want 3 (one refused write per bad change, then the good one)", sets)
	}
}

func TestBlameMatchesMemberForms(t *testing.T) {
	tests := []struct {
		msg, member string
		want        bool
	}{
		{"Service account ghost@p.iam.gserviceaccount.com does not exist.", "serviceAccount:ghost@p.iam.gserviceaccount.com", true},
		{"Service account projects/-/serviceAccounts/GHOST@p.iam.gserviceaccount.com does not exist.", "serviceAccount:ghost@p.iam.gserviceaccount.com", true},
		{"User ghost@example.com does not exist.", "user:Ghost@Example.com", true},
		{`Principal "group:ops@example.com" is invalid`, "group:ops@example.com", true},
		{"User aghost@example.com does not exist.", "user:ghost@example.com", false},
		{"User ghost@example.com.au does not exist.", "user:ghost@example.com", false},
		{"Role roles/run.admin is not supported for this resource.", "user:ghost@example.com", false},
	}
	for _, tt := range tests {
		if got := mentionsMember(messageTokens([]string{tt.msg}), tt.member); got != tt.want {
			t.Errorf("mentionsMember(%q, %q) = %v, want %v", tt.msg, tt.member, got, tt.want)
		}
	}
}

// A missing account that no change in the batch introduced (the stored
// policy names it) cannot be fixed by waiting: every caller fails at once
// with a message saying so, after one lookup and no backoff.
func TestApplyMissingAccountAlreadyInPolicyFailsAtOnce(t *testing.T) {
	const ghost = "serviceAccount:ghost@demo-project.iam.gserviceaccount.com"
	f := newFake(iampolicy.Binding{Role: "roles/run.viewer", Members: []string{ghost}})
	f.beforeSet = func(_ context.Context, _ int, p *iampolicy.Policy) error {
		if p.HasMember("roles/run.viewer", ghost, nil) {
			return saMissing("ghost@demo-project.iam.gserviceaccount.com")
		}
		return nil
	}
	lookup := &accountLookup{exists: false}
	e, sl := testEngine(t, Options{ServiceAccountExists: lookup.lookup})
	_, err := e.Apply(ctxTimeout(t, time.Minute), f, iampolicy.AddMembers(invoker, nil, alice))
	var rej *RejectedError
	if err == nil || errors.As(err, &rej) || !strings.Contains(err.Error(), "already grants a role to service account ghost@demo-project.iam.gserviceaccount.com") {
		t.Errorf("got %v, want a batch error naming the account already in the policy", err)
	}
	if _, sets := f.counts(); sets != 1 || sl.count() != 0 || lookup.count() != 1 {
		t.Errorf("sets=%d sleeps=%d lookups=%d, want 1, 0, 1", sets, sl.count(), lookup.count())
	}
}
