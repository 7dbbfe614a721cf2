package gcpclient

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	cloudfunctionsv2 "google.golang.org/api/cloudfunctions/v2"
	run "google.golang.org/api/run/v2"
	"google.golang.org/api/workflows/v1"
)

func TestWaitOperation(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name      string
		doneAfter int // polls until done; -1 never
		failAt    int // poll that returns an error; 0 never
		timeout   bool
		wantPolls int
		wantErr   error
		wantSleep []time.Duration
	}{
		{name: "done at once", doneAfter: 1, wantPolls: 1},
		{name: "done after backoff", doneAfter: 5, wantPolls: 5,
			wantSleep: []time.Duration{200 * time.Millisecond, 300 * time.Millisecond, 450 * time.Millisecond, 675 * time.Millisecond}},
		{name: "get fails", doneAfter: -1, failAt: 2, wantPolls: 2, wantErr: boom},
		{name: "context ends first", doneAfter: -1, timeout: true, wantPolls: 3, wantErr: context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			polls := 0
			var sleeps []time.Duration
			sleep := func(ctx context.Context, d time.Duration) error {
				sleeps = append(sleeps, d)
				if tt.timeout && len(sleeps) == 3 {
					return context.DeadlineExceeded
				}
				return ctx.Err()
			}
			err := WaitOperation(ctx, func(context.Context) (bool, error) {
				polls++
				if polls == tt.failAt {
					return false, boom
				}
				return tt.doneAfter > 0 && polls >= tt.doneAfter, nil
			}, WaitOptions{Sleep: sleep})
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if polls != tt.wantPolls {
				t.Errorf("polls = %d, want %d", polls, tt.wantPolls)
			}
			if tt.wantSleep != nil && !equalDurations(sleeps, tt.wantSleep) {
				t.Errorf("sleeps = %v, want %v", sleeps, tt.wantSleep)
			}
			if tt.timeout {
				var te *OperationTimeoutError
				if !errors.As(err, &te) {
					t.Errorf("timeout error %T, want *OperationTimeoutError", err)
				}
			}
		})
	}
}

func TestWaitOperationCapsDelay(t *testing.T) {
	var sleeps []time.Duration
	polls := 0
	_ = WaitOperation(context.Background(), func(context.Context) (bool, error) {
		polls++
		return polls == 20, nil
	}, WaitOptions{Sleep: func(_ context.Context, d time.Duration) error { sleeps = append(sleeps, d); return nil }})
	for _, d := range sleeps {
		if d > 5*time.Second {
			t.Fatalf("delay %s above the 5s cap", d)
		}
	}
	if sleeps[len(sleeps)-1] != 5*time.Second {
		t.Errorf("last delay %s, want the 5s cap", sleeps[len(sleeps)-1])
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// opServer answers Cloud Run operation polls with the given bodies in turn.
func opServer(t *testing.T, bodies ...string) (*run.Service, *int) {
	t.Helper()
	var mu sync.Mutex
	polls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.Method != http.MethodGet || r.URL.Path != "/v2/projects/p/locations/l/operations/op1" {
			http.Error(w, "unexpected "+r.Method+" "+r.URL.Path, http.StatusBadRequest)
			return
		}
		b := bodies[min(polls, len(bodies)-1)]
		polls++
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, b)
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{EmulatorHost: strings.TrimPrefix(srv.URL, "http://")})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return svc, &polls
}

func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

func TestWaitRunOperation(t *testing.T) {
	const name = "projects/p/locations/l/operations/op1"
	pending := `{"name":"` + name + `","done":false}`

	t.Run("success", func(t *testing.T) {
		svc, polls := opServer(t, pending, `{"name":"`+name+`","done":true,"response":{"uri":"https://x.run.app"}}`)
		ctx := WithOperationSleep(context.Background(), noSleep)
		op, err := WaitRunOperation(ctx, svc, &run.GoogleLongrunningOperation{Name: name})
		if err != nil || !op.Done || *polls != 2 {
			t.Fatalf("op=%+v err=%v polls=%d", op, err, *polls)
		}
	})
	t.Run("operation error", func(t *testing.T) {
		svc, _ := opServer(t, `{"name":"`+name+`","done":true,"error":{"code":7,"message":"Permission 'run.services.create' denied"}}`)
		ctx := WithOperationSleep(context.Background(), noSleep)
		_, err := WaitRunOperation(ctx, svc, &run.GoogleLongrunningOperation{Name: name})
		var opErr *OperationError
		if !errors.As(err, &opErr) || opErr.Code != 7 || !strings.Contains(err.Error(), "PERMISSION_DENIED") {
			t.Fatalf("err = %v, want *OperationError code 7", err)
		}
		summary, detail := Describe(err, "run.services.create", `Cloud Run service "s"`)
		if summary != `Permission denied while creating Cloud Run service "s"` || !strings.Contains(detail, "`run.services.create`") {
			t.Errorf("Describe = %q / %q", summary, detail)
		}
	})
	t.Run("already done needs no poll", func(t *testing.T) {
		svc, polls := opServer(t, pending)
		op, err := WaitRunOperation(context.Background(), svc, &run.GoogleLongrunningOperation{Name: name, Done: true})
		if err != nil || op == nil || *polls != 0 {
			t.Fatalf("op=%v err=%v polls=%d", op, err, *polls)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		svc, polls := opServer(t, pending)
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		defer cancel()
		ctx = WithOperationSleep(ctx, func(context.Context, time.Duration) error {
			if *polls >= 3 {
				return context.DeadlineExceeded
			}
			return nil
		})
		_, err := WaitRunOperation(ctx, svc, &run.GoogleLongrunningOperation{Name: name})
		var te *OperationTimeoutError
		if !errors.As(err, &te) || te.Operation != name || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want *OperationTimeoutError for %s", err, name)
		}
		summary, detail := Describe(err, "creating", "the service")
		if !strings.HasPrefix(summary, "Timed out") || !strings.Contains(detail, "timeouts") {
			t.Errorf("Describe = %q / %q", summary, detail)
		}
	})
}

func TestWaitFunctionsV2AndWorkflowsOperations(t *testing.T) {
	const name = "projects/p/locations/l/operations/op9"
	var mu sync.Mutex
	polls := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		polls[r.URL.Path]++
		n := polls[r.URL.Path]
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case n == 1:
			_, _ = io.WriteString(w, `{"name":"`+name+`","done":false}`)
		case strings.HasPrefix(r.URL.Path, "/v2/"): // Cloud Functions v2
			_, _ = io.WriteString(w, `{"name":"`+name+`","done":true,"response":{}}`)
		default: // Workflows v1
			_, _ = io.WriteString(w, `{"name":"`+name+`","done":true,"error":{"code":3,"message":"bad workflow source: line 2"}}`)
		}
	}))
	defer srv.Close()
	c, err := New(Config{EmulatorHost: strings.TrimPrefix(srv.URL, "http://")})
	if err != nil {
		t.Fatal(err)
	}
	ctx := WithOperationSleep(context.Background(), noSleep)

	fn, err := c.CloudFunctionsV2(ctx)
	if err != nil {
		t.Fatal(err)
	}
	op, err := WaitFunctionsV2Operation(ctx, fn, &cloudfunctionsv2.Operation{Name: name})
	if err != nil || !op.Done {
		t.Fatalf("functions v2: op=%+v err=%v", op, err)
	}

	wf, err := c.Workflows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = WaitWorkflowsOperation(ctx, wf, &workflows.Operation{Name: name})
	var opErr *OperationError
	if !errors.As(err, &opErr) || opErr.Code != 3 || opErr.Message != "bad workflow source: line 2" {
		t.Fatalf("workflows: err = %v", err)
	}
	if summary, detail := Describe(err, "workflows.workflows.create", `workflow "w"`); summary != `Invalid request while creating workflow "w"` || !strings.Contains(detail, "line 2") {
		t.Errorf("Describe = %q / %q", summary, detail)
	}
	if polls["/v2/"+name] != 2 || polls["/v1/"+name] != 2 {
		t.Errorf("polls = %v, want 2 per API", polls)
	}
}
