package iamengine

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestReadCoalescesConcurrentReadsAndCaches(t *testing.T) {
	const n = 100
	f := newFake(iampolicy.Binding{Role: invoker, Members: []string{alice}})
	gate := make(chan struct{})
	f.beforeGet = func(context.Context, int) error { <-gate; return nil }
	clock := &fakeClock{now: time.Unix(1_800_000_000, 0)}
	e, _ := testEngine(t, Options{Now: clock.Now, ReadTTL: 10 * time.Second})
	var joined sync.WaitGroup
	joined.Add(n)
	e.onReadWait = func(string) { joined.Done() }

	var wg sync.WaitGroup
	errs := make([]error, n)
	results := make([]*iampolicy.Policy, n)
	for i := range n {
		wg.Go(func() { results[i], errs[i] = e.Read(context.Background(), f) })
	}
	joined.Wait() // all 100 wait on the one read in flight
	close(gate)
	wg.Wait()
	for i := range n {
		if errs[i] != nil || !results[i].HasMember(invoker, alice, nil) {
			t.Fatalf("reader %d: %+v, %v", i, results[i], errs[i])
		}
	}
	results[0].AddMember(invoker, bob, nil) // callers own their copy
	if results[1].HasMember(invoker, bob, nil) {
		t.Error("readers share one policy value")
	}
	if gets, _ := f.counts(); gets != 1 {
		t.Errorf("%d concurrent Reads made %d GetPolicy calls, want 1", n, gets)
	}

	e.onReadWait = nil
	clock.Advance(9 * time.Second)
	if _, err := e.Read(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	if gets, _ := f.counts(); gets != 1 {
		t.Errorf("Read within ReadTTL made a call (gets=%d)", gets)
	}
	clock.Advance(2 * time.Second)
	if _, err := e.Read(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	if gets, _ := f.counts(); gets != 2 {
		t.Errorf("Read after ReadTTL: gets=%d, want 2", gets)
	}
	e.Invalidate(f.Key())
	if _, err := e.Read(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	if gets, _ := f.counts(); gets != 3 {
		t.Errorf("Read after Invalidate: gets=%d, want 3", gets)
	}
}

func TestReadErrorIsNotCached(t *testing.T) {
	f := newFake()
	f.beforeGet = func(_ context.Context, n int) error {
		if n == 1 {
			return googleErr(404, "NOT_FOUND", "Resource 'projects/p/locations/l/services/s' was not found")
		}
		return nil
	}
	e, _ := testEngine(t, Options{})
	_, err := e.Read(context.Background(), f)
	if !gcperr.IsNotFound(err) {
		t.Fatalf("got %v, want the 404", err)
	}
	if _, err := e.Read(context.Background(), f); err != nil {
		t.Fatalf("second Read: %v", err)
	}
}

// A reader that gives up does not fail the others sharing its read.
func TestReadCancelOfOneReaderKeepsTheSharedRead(t *testing.T) {
	f := newFake(iampolicy.Binding{Role: invoker, Members: []string{alice}})
	gate := make(chan struct{})
	var readCtxErr error
	f.beforeGet = func(ctx context.Context, _ int) error {
		<-gate
		readCtxErr = ctx.Err()
		return nil
	}
	e, _ := testEngine(t, Options{})
	var joined sync.WaitGroup
	joined.Add(2)
	e.onReadWait = func(string) { joined.Done() }
	ctxA, cancelA := context.WithCancel(context.Background())
	var wgA, wgB sync.WaitGroup
	var errA, errB error
	wgA.Go(func() { _, errA = e.Read(ctxA, f) })
	wgB.Go(func() { _, errB = e.Read(context.Background(), f) })
	joined.Wait()
	cancelA()
	wgA.Wait()
	close(gate)
	wgB.Wait()
	if !errors.Is(errA, context.Canceled) {
		t.Errorf("reader A: %v, want context.Canceled", errA)
	}
	if errB != nil || readCtxErr != nil {
		t.Errorf("reader B: %v; shared read context: %v", errB, readCtxErr)
	}
}
