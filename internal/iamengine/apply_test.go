package iamengine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

const (
	invoker = "roles/run.invoker"
	alice   = "user:alice@example.com"
	bob     = "user:bob@example.com"
	sched   = "serviceAccount:sched@demo-project.iam.gserviceaccount.com"
	newSA   = "serviceAccount:fresh@demo-project.iam.gserviceaccount.com"
)

func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestApplyAddsMemberWithOneReadAndOneWrite(t *testing.T) {
	f := newFake(iampolicy.Binding{Role: invoker, Members: []string{bob}})
	e, _ := testEngine(t, Options{})
	got, err := e.Apply(ctxTimeout(t, 10*time.Second), f, iampolicy.AddMembers(invoker, nil, alice))
	if err != nil {
		t.Fatal(err)
	}
	if !got.HasMember(invoker, alice, nil) || !got.HasMember(invoker, bob, nil) {
		t.Errorf("returned policy %+v lacks alice or bob", got)
	}
	if got.Etag != "etag-1" {
		t.Errorf("returned etag %q, want the stored one etag-1", got.Etag)
	}
	if gets, sets := f.counts(); gets != 1 || sets != 1 {
		t.Errorf("gets=%d sets=%d, want 1 and 1", gets, sets)
	}
	// Our own write refreshed the cache: a Read costs nothing and sees it.
	p, err := e.Read(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	if !p.HasMember(invoker, alice, nil) {
		t.Error("Read after Apply does not show the new member")
	}
	if gets, _ := f.counts(); gets != 1 {
		t.Errorf("Read after Apply made %d GetPolicy calls in total, want 1", gets)
	}
}

func TestApplyNoOpSkipsWrite(t *testing.T) {
	tests := []struct {
		name string
		m    iampolicy.Mutation
	}{
		{"add present member", iampolicy.AddMembers(invoker, nil, "user:ALICE@example.com")},
		{"remove absent member", iampolicy.RemoveMembers(invoker, nil, bob)},
		{"set same members", iampolicy.SetAuthoritative(invoker, nil, alice)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(iampolicy.Binding{Role: invoker, Members: []string{alice}})
			e, _ := testEngine(t, Options{})
			got, err := e.Apply(ctxTimeout(t, 10*time.Second), f, tt.m)
			if err != nil {
				t.Fatal(err)
			}
			if got.Etag != "etag-0" || !got.HasMember(invoker, alice, nil) {
				t.Errorf("returned %+v, want the unchanged policy", got)
			}
			if gets, sets := f.counts(); gets != 1 || sets != 0 {
				t.Errorf("gets=%d sets=%d, want 1 and 0", gets, sets)
			}
		})
	}
}

// A cached policy can be stale: when it says there is nothing to do, the
// engine confirms with a fresh read and writes if Google disagrees.
func TestApplyNoOpOnStaleCacheRereads(t *testing.T) {
	f := newFake(iampolicy.Binding{Role: invoker, Members: []string{alice}})
	e, _ := testEngine(t, Options{})
	if _, err := e.Read(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	f.foreignWrite(iampolicy.RemoveMembers(invoker, nil, alice)) // someone else revoked alice
	got, err := e.Apply(ctxTimeout(t, 10*time.Second), f, iampolicy.AddMembers(invoker, nil, alice))
	if err != nil {
		t.Fatal(err)
	}
	if !got.HasMember(invoker, alice, nil) || !f.stored().HasMember(invoker, alice, nil) {
		t.Errorf("alice not granted again after a stale cache hit: returned %+v, stored %+v", got, f.stored())
	}
	if gets, sets := f.counts(); gets != 2 || sets != 1 {
		t.Errorf("gets=%d sets=%d, want 2 and 1", gets, sets)
	}
}

func TestApplyUsesFreshCacheAsBase(t *testing.T) {
	f := newFake()
	e, _ := testEngine(t, Options{})
	if _, err := e.Read(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Apply(ctxTimeout(t, 10*time.Second), f, iampolicy.AddMembers(invoker, nil, alice)); err != nil {
		t.Fatal(err)
	}
	if gets, sets := f.counts(); gets != 1 || sets != 1 {
		t.Errorf("gets=%d sets=%d, want 1 and 1 (the write builds on the cached read)", gets, sets)
	}
}

func TestApplyRetriesStaleEtag(t *testing.T) {
	f := newFake()
	const conflicts = 4
	f.beforeSet = func(_ context.Context, n int, _ *iampolicy.Policy) error {
		if n <= conflicts {
			return googleErr(409, "ABORTED", "There were concurrent policy changes.")
		}
		return nil
	}
	e, sl := testEngine(t, Options{})
	got, err := e.Apply(ctxTimeout(t, 10*time.Second), f, iampolicy.AddMembers(invoker, nil, alice))
	if err != nil {
		t.Fatal(err)
	}
	if !got.HasMember(invoker, alice, nil) {
		t.Errorf("returned policy lacks alice: %+v", got)
	}
	gets, sets := f.counts()
	if sets != conflicts+1 || gets != conflicts+1 {
		t.Errorf("gets=%d sets=%d, want %d each (re-read after every conflict)", gets, sets, conflicts+1)
	}
	sleeps := sl.all()
	if len(sleeps) != conflicts {
		t.Fatalf("slept %d times, want %d", len(sleeps), conflicts)
	}
	for i, d := range sleeps {
		ceiling := min(100*time.Millisecond<<i, 800*time.Millisecond)
		if d < ceiling/2 || d > ceiling {
			t.Errorf("backoff %d = %v, want within [%v, %v]", i+1, d, ceiling/2, ceiling)
		}
	}
}

// Another process writes between our read and our write, several times:
// its members must survive and ours must land.
func TestApplyNeverLosesConcurrentWritersMembers(t *testing.T) {
	f := newFake(iampolicy.Binding{Role: invoker, Members: []string{bob}})
	foreign := []string{"group:ops@example.com", "user:carol@example.com", "domain:example.org"}
	f.beforeSet = func(_ context.Context, n int, _ *iampolicy.Policy) error {
		if n <= len(foreign) {
			f.foreignWrite(iampolicy.AddMembers(invoker, nil, foreign[n-1]))
		}
		return nil
	}
	e, _ := testEngine(t, Options{})
	m := append(iampolicy.AddMembers(invoker, nil, alice), iampolicy.RemoveMembers(invoker, nil, bob)...)
	if _, err := e.Apply(ctxTimeout(t, 10*time.Second), f, m); err != nil {
		t.Fatal(err)
	}
	want := append([]string{alice}, foreign...)
	got := f.stored()
	for _, member := range want {
		if !got.HasMember(invoker, member, nil) {
			t.Errorf("stored policy lacks %s: %+v", member, got.Bindings)
		}
	}
	if got.HasMember(invoker, bob, nil) {
		t.Errorf("bob was not removed: %+v", got.Bindings)
	}
}

// 100 concurrent Apply calls on one policy: every member lands, in at most
// two writes (whoever joined the first write, then everyone queued behind it).
func TestApplyGroupsConcurrentCallers(t *testing.T) {
	const n = 100
	f := newFake()
	gate := make(chan struct{})
	f.beforeSet = func(_ context.Context, num int, _ *iampolicy.Policy) error {
		if num == 1 {
			<-gate
		}
		return nil
	}
	e, _ := testEngine(t, Options{})
	var queued sync.WaitGroup
	queued.Add(n)
	e.onQueued = func(string) { queued.Done() }

	members := make([]string, n)
	errs := make([]error, n)
	results := make([]*iampolicy.Policy, n)
	var wg sync.WaitGroup
	for i := range n {
		members[i] = fmt.Sprintf("serviceAccount:sa-%03d@demo-project.iam.gserviceaccount.com", i)
		wg.Go(func() {
			results[i], errs[i] = e.Apply(ctxTimeout(t, 30*time.Second), f, iampolicy.AddMembers(invoker, nil, members[i]))
		})
	}
	queued.Wait() // everyone is queued while the first write is held
	close(gate)
	wg.Wait()

	for i := range n {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if !results[i].HasMember(invoker, members[i], nil) {
			t.Errorf("caller %d's result lacks its member", i)
		}
	}
	if got := f.stored().Members(invoker, nil); len(got) != n {
		t.Errorf("stored %d members, want %d", len(got), n)
	}
	if gets, sets := f.counts(); sets > 2 || gets > 1 {
		t.Errorf("gets=%d sets=%d for %d callers, want at most 1 and 2", gets, sets, n)
	}
}

// Callers arriving one after another while the group window is open share
// one write. The window runs on a gated fake clock: the write cannot go out
// before every caller is queued, whatever the machine's load.
func TestApplyGroupWindowBatchesSequentialArrivals(t *testing.T) {
	f := newFake()
	b := newBatchEngine(t, Options{})
	var calls []batchCall
	for _, m := range []string{alice, bob, sched} {
		calls = append(calls, batchCall{m: iampolicy.AddMembers(invoker, nil, m)})
	}
	for i, r := range b.applyAll(t, f, calls...) {
		if r.err != nil {
			t.Errorf("caller %d: %v", i, r.err)
		}
	}
	if _, sets := f.counts(); sets != 1 {
		t.Errorf("sets=%d, want 1 for three callers inside the window", sets)
	}
	if got := f.stored().Members(invoker, nil); len(got) != 3 {
		t.Errorf("stored members %q", got)
	}
}

// The window closes once arrivals stop for GroupWindow, measured on the
// engine's clock: with no pause at all the first caller's write would go out
// alone.
func TestSettleWaitsForQuietOnEngineClock(t *testing.T) {
	clock := newGateClock()
	e := New(Options{GroupWindow: time.Second, MaxGroupDelay: 5 * time.Second, Now: clock.Now})
	var paused []time.Duration
	e.pause = func(d time.Duration) {
		paused = append(paused, d)
		clock.mu.Lock()
		clock.now = clock.now.Add(d)
		clock.mu.Unlock()
	}
	ks := &keyState{lastArrival: clock.Now()}
	e.settle(ks)
	if len(paused) != 1 || paused[0] != time.Second {
		t.Errorf("paused %v, want one pause of the 1s window", paused)
	}

	// Arrivals that keep coming are cut off by MaxGroupDelay.
	paused = nil
	e.pause = func(d time.Duration) {
		paused = append(paused, d)
		clock.mu.Lock()
		clock.now = clock.now.Add(d)
		clock.mu.Unlock()
		ks.lastArrival = clock.Now() // another caller just arrived
	}
	ks.lastArrival = clock.Now()
	e.settle(ks)
	var total time.Duration
	for _, d := range paused {
		total += d
	}
	if total != 5*time.Second {
		t.Errorf("paused %v (%v in all), want 5s in all (MaxGroupDelay)", paused, total)
	}
}
func TestApplyRetriesServiceAccountNotYetVisible(t *testing.T) {
	f := newFake()
	f.beforeSet = func(_ context.Context, n int, _ *iampolicy.Policy) error {
		if n <= 3 {
			return saMissing("fresh@demo-project.iam.gserviceaccount.com")
		}
		return nil
	}
	e, sl := testEngine(t, Options{})
	got, err := e.Apply(ctxTimeout(t, 10*time.Second), f, iampolicy.AddMembers(invoker, nil, newSA))
	if err != nil {
		t.Fatal(err)
	}
	if !got.HasMember(invoker, newSA, nil) {
		t.Errorf("returned policy lacks the new account: %+v", got)
	}
	if gets, sets := f.counts(); sets != 4 || gets != 1 {
		t.Errorf("gets=%d sets=%d, want 1 and 4 (the etag stays valid, no re-read)", gets, sets)
	}
	if sl.count() != 3 {
		t.Errorf("backed off %d times, want 3", sl.count())
	}
}

// In one batch, a member naming an account that exists but is not visible
// yet must not hold back the others: they are written at once, and the
// waiting one lands when IAM sees the account.
func TestApplyInvisibleAccountDoesNotBlockOthers(t *testing.T) {
	f := newFake()
	visible := make(chan struct{})
	f.beforeSet = func(_ context.Context, _ int, p *iampolicy.Policy) error {
		if p.HasMember(invoker, newSA, nil) {
			select {
			case <-visible:
			default:
				return saMissing("projects/-/serviceAccounts/fresh@demo-project.iam.gserviceaccount.com")
			}
		}
		return nil
	}
	lookup := &accountLookup{exists: true}
	b := newBatchEngine(t, Options{ServiceAccountExists: lookup.lookup})
	b.sl.after = func(int) {
		// The first backoff is taken by the waiting change alone, after
		// alice was written: IAM sees the account from now on.
		if f.stored().HasMember(invoker, alice, nil) {
			select {
			case <-visible:
			default:
				close(visible)
			}
		}
	}
	res := b.applyAll(t, f,
		batchCall{m: iampolicy.AddMembers(invoker, nil, alice)},
		batchCall{m: iampolicy.AddMembers(invoker, nil, newSA)})
	for i, r := range res {
		if r.err != nil {
			t.Errorf("caller %d: %v", i, r.err)
		}
	}
	if got := f.stored(); !got.HasMember(invoker, alice, nil) || !got.HasMember(invoker, newSA, nil) {
		t.Errorf("stored %+v, want alice and the new account", got.Bindings)
	}
	// Write 1 (both) refused, write 2 (alice) lands, write 3 (account,
	// after one backoff) refused... until visible; here: exactly 1 backoff.
	if _, sets := f.counts(); sets != 4 {
		t.Errorf("sets=%d, want 4: both (refused), alice alone, the account (refused), the account", sets)
	}
	if lookup.count() != 1 {
		t.Errorf("looked the account up %d times, want once", lookup.count())
	}
}
func TestApplyFailsBatchOnPermanentError(t *testing.T) {
	f := newFake()
	f.beforeSet = func(context.Context, int, *iampolicy.Policy) error {
		return googleErr(403, "PERMISSION_DENIED", "Permission 'run.services.setIamPolicy' denied on resource")
	}
	e, sl := testEngine(t, Options{})
	_, err := e.Apply(ctxTimeout(t, 10*time.Second), f, iampolicy.AddMembers(invoker, nil, alice))
	if !gcperr.IsPermissionDenied(err) || !strings.Contains(err.Error(), "setting IAM policy on fake resource fake/policy") {
		t.Errorf("got %v, want a wrapped 403 naming the resource", err)
	}
	if _, sets := f.counts(); sets != 1 || sl.count() != 0 {
		t.Errorf("sets=%d sleeps=%d: a 403 must not be retried", sets, sl.count())
	}
}

// Transient failures are the HTTP transport's to retry (one policy, one
// bound): an error that reaches the engine has been retried already, so the
// engine fails at once instead of retrying it again, and says what was done.
func TestApplyDoesNotRetryTransientErrorsAgain(t *testing.T) {
	tests := []struct {
		name         string
		getErr       error
		setErr       error
		wantHas      []string
		wantMethod   string
		wantGets     int
		wantSets     int
		wantNotInErr string
	}{
		{"503 on read", googleErr(503, "UNAVAILABLE", "try again"), nil,
			[]string{"reading IAM policy of fake resource"}, "getIamPolicy", 1, 0, ""},
		{"409 ABORTED on read", googleErr(409, "ABORTED", "The operation was aborted."), nil,
			[]string{"reading IAM policy of fake resource", "aborted"}, "getIamPolicy", 1, 0, "etag"},
		{"404 on read", googleErr(404, "NOT_FOUND", "Resource 'x' was not found"), nil,
			[]string{"reading IAM policy of fake resource"}, "getIamPolicy", 1, 0, ""},
		{"429 on write", nil, googleErr(429, "RESOURCE_EXHAUSTED", "Quota exceeded"),
			[]string{"setting IAM policy on fake resource"}, "setIamPolicy", 1, 1, ""},
		{"503 on write", nil, googleErr(503, "UNAVAILABLE", "try again"),
			[]string{"setting IAM policy on fake resource"}, "setIamPolicy", 1, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			f.beforeGet = func(context.Context, int) error { return tt.getErr }
			f.beforeSet = func(context.Context, int, *iampolicy.Policy) error { return tt.setErr }
			e, sl := testEngine(t, Options{})
			_, err := e.Apply(ctxTimeout(t, time.Minute), f, iampolicy.AddMembers(invoker, nil, alice))
			if err == nil {
				t.Fatal("Apply succeeded")
			}
			for _, want := range tt.wantHas {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if tt.wantNotInErr != "" && strings.Contains(err.Error(), tt.wantNotInErr) {
				t.Errorf("error %q mentions %q", err, tt.wantNotInErr)
			}
			if got := gcperr.Method(err); got != tt.wantMethod {
				t.Errorf("error records method %q, want %q", got, tt.wantMethod)
			}
			if gets, sets := f.counts(); gets != tt.wantGets || sets != tt.wantSets || sl.count() != 0 {
				t.Errorf("gets=%d sets=%d sleeps=%d, want %d, %d, 0", gets, sets, sl.count(), tt.wantGets, tt.wantSets)
			}
		})
	}
}
func TestApplyRejectsInvalidMutationWithoutCalls(t *testing.T) {
	f := newFake()
	e, _ := testEngine(t, Options{})
	_, err := e.Apply(context.Background(), f, iampolicy.AddMembers("run.invoker", nil, "alice@example.com"))
	if err == nil || !strings.Contains(err.Error(), `"roles/run.invoker"`) || !strings.Contains(err.Error(), `"user:alice@example.com"`) {
		t.Errorf("got %v, want both fixes named", err)
	}
	if gets, sets := f.counts(); gets+sets != 0 {
		t.Errorf("made %d calls for an invalid mutation", gets+sets)
	}
}

// One caller giving up must neither fail the others' batch nor cancel the
// request made on their behalf. Both callers are put in one write by the
// gated group window, and the write is held until A has given up.
func TestApplyCallerCancelDoesNotCancelOthers(t *testing.T) {
	f := newFake()
	entered := make(chan struct{})
	release := make(chan struct{})
	var setCtxErr error
	var sent *iampolicy.Policy
	f.beforeSet = func(ctx context.Context, n int, p *iampolicy.Policy) error {
		if n == 1 {
			sent = p.Clone()
			close(entered)
			<-release
			setCtxErr = ctx.Err()
		}
		return nil
	}
	b := newBatchEngine(t, Options{})
	ctxA, cancelA := context.WithCancel(context.Background())
	defer cancelA()
	var wgA, wgB sync.WaitGroup
	var errA, errB error
	var gotB *iampolicy.Policy
	wgA.Go(func() { _, errA = b.Apply(ctxA, f, iampolicy.AddMembers(invoker, nil, alice)) })
	wgB.Go(func() {
		gotB, errB = b.Apply(ctxTimeout(t, time.Minute), f, iampolicy.AddMembers(invoker, nil, bob))
	})
	<-b.queued
	<-b.queued
	b.clock.open()
	<-entered // both are in the write now held by the fake
	if !sent.HasMember(invoker, alice, nil) || !sent.HasMember(invoker, bob, nil) {
		t.Fatalf("the held write carries %+v, want alice and bob", sent.Bindings)
	}
	cancelA()
	wgA.Wait() // A returns at once, while the write is still held
	if !errors.Is(errA, context.Canceled) {
		t.Errorf("caller A: got %v, want context.Canceled", errA)
	}
	close(release)
	wgB.Wait()
	if errB != nil {
		t.Fatalf("caller B failed because A cancelled: %v", errB)
	}
	if setCtxErr != nil {
		t.Errorf("the shared write's context was cancelled with A's: %v", setCtxErr)
	}
	if !gotB.HasMember(invoker, bob, nil) {
		t.Errorf("B's result lacks bob: %+v", gotB)
	}
}
