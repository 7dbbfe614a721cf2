package gcpclient

import (
	"context"
	"errors"
	"fmt"
	"time"

	cloudfunctionsv1 "google.golang.org/api/cloudfunctions/v1"
	cloudfunctionsv2 "google.golang.org/api/cloudfunctions/v2"
	run "google.golang.org/api/run/v2"
	"google.golang.org/api/workflows/v1"
)

// WaitOptions tunes WaitOperation. The zero value polls after 200ms, growing
// by half each time up to 5s, until the context is done.
type WaitOptions struct {
	// Initial is the first delay between polls (default 200ms).
	Initial time.Duration
	// Max caps the delay between polls (default 5s).
	Max time.Duration
	// Sleep waits d or until ctx is done (default: a timer); for tests.
	Sleep func(ctx context.Context, d time.Duration) error
}

// OperationError is a long-running operation that finished with an error.
type OperationError struct {
	// Operation is the operation's resource name.
	Operation string
	// Code is the google.rpc.Code (e.g. 7 PERMISSION_DENIED).
	Code int
	// Message is Google's message.
	Message string
}

func (e *OperationError) Error() string {
	return fmt.Sprintf("operation %s failed: %s (code %d %s)", e.Operation, e.Message, e.Code, rpcCodeName(e.Code))
}

// OperationTimeoutError reports that the context ended before an operation
// finished. It unwraps to the context's error.
type OperationTimeoutError struct {
	Operation string
	Err       error
}

func (e *OperationTimeoutError) Error() string {
	return fmt.Sprintf("timed out waiting for operation %s to finish: %v", e.Operation, e.Err)
}

func (e *OperationTimeoutError) Unwrap() error { return e.Err }

// WaitOperation calls get until it reports done or fails, backing off
// between polls, and returns ctx's error (as *OperationTimeoutError) when
// the context ends first.
func WaitOperation(ctx context.Context, get func(ctx context.Context) (done bool, err error), opts WaitOptions) error {
	return waitNamed(ctx, "", get, opts)
}

func waitNamed(ctx context.Context, name string, get func(ctx context.Context) (bool, error), opts WaitOptions) error {
	delay := opts.Initial
	if delay <= 0 {
		delay = 200 * time.Millisecond
	}
	maxDelay := opts.Max
	if maxDelay <= 0 {
		maxDelay = 5 * time.Second
	}
	sleep := opts.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	for {
		if err := ctx.Err(); err != nil {
			return &OperationTimeoutError{Operation: name, Err: err}
		}
		done, err := get(ctx)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
				return &OperationTimeoutError{Operation: name, Err: ctxErr}
			}
			return err
		}
		if done {
			return nil
		}
		if err := sleep(ctx, delay); err != nil {
			return &OperationTimeoutError{Operation: name, Err: err}
		}
		delay += delay / 2
		if delay > maxDelay {
			delay = maxDelay
		}
	}
}

// opError converts a failed operation's status to an *OperationError.
func opError(name string, code int64, message string) error {
	return &OperationError{Operation: name, Code: int(code), Message: message}
}

// WaitRunOperation waits for a Cloud Run operation and returns it once done;
// an operation that failed is returned with an *OperationError.
func WaitRunOperation(ctx context.Context, svc *run.Service, op *run.GoogleLongrunningOperation) (*run.GoogleLongrunningOperation, error) {
	return waitTyped(ctx, op, op.Name, func(ctx context.Context) (*run.GoogleLongrunningOperation, error) {
		return svc.Projects.Locations.Operations.Get(op.Name).Context(ctx).Do()
	}, func(o *run.GoogleLongrunningOperation) (bool, error) {
		if o.Error == nil {
			return o.Done, nil
		}
		return true, opError(o.Name, o.Error.Code, o.Error.Message)
	})
}

// WaitFunctionsV1Operation waits for a Cloud Functions v1 operation.
func WaitFunctionsV1Operation(ctx context.Context, svc *cloudfunctionsv1.Service, op *cloudfunctionsv1.Operation) (*cloudfunctionsv1.Operation, error) {
	return waitTyped(ctx, op, op.Name, func(ctx context.Context) (*cloudfunctionsv1.Operation, error) {
		return svc.Operations.Get(op.Name).Context(ctx).Do()
	}, func(o *cloudfunctionsv1.Operation) (bool, error) {
		if o.Error == nil {
			return o.Done, nil
		}
		return true, opError(o.Name, o.Error.Code, o.Error.Message)
	})
}

// WaitFunctionsV2Operation waits for a Cloud Functions v2 operation.
func WaitFunctionsV2Operation(ctx context.Context, svc *cloudfunctionsv2.Service, op *cloudfunctionsv2.Operation) (*cloudfunctionsv2.Operation, error) {
	return waitTyped(ctx, op, op.Name, func(ctx context.Context) (*cloudfunctionsv2.Operation, error) {
		return svc.Projects.Locations.Operations.Get(op.Name).Context(ctx).Do()
	}, func(o *cloudfunctionsv2.Operation) (bool, error) {
		if o.Error == nil {
			return o.Done, nil
		}
		return true, opError(o.Name, o.Error.Code, o.Error.Message)
	})
}

// WaitWorkflowsOperation waits for a Workflows operation.
func WaitWorkflowsOperation(ctx context.Context, svc *workflows.Service, op *workflows.Operation) (*workflows.Operation, error) {
	return waitTyped(ctx, op, op.Name, func(ctx context.Context) (*workflows.Operation, error) {
		return svc.Projects.Locations.Operations.Get(op.Name).Context(ctx).Do()
	}, func(o *workflows.Operation) (bool, error) {
		if o.Error == nil {
			return o.Done, nil
		}
		return true, opError(o.Name, o.Error.Code, o.Error.Message)
	})
}

// waitTyped polls one operation type: state reports (done, failure).
func waitTyped[O any](ctx context.Context, op *O, name string, get func(context.Context) (*O, error), state func(*O) (bool, error)) (*O, error) {
	if op == nil {
		return nil, errors.New("no operation to wait for")
	}
	cur := op
	var failed error
	check := func(o *O) bool {
		done, err := state(o)
		failed = err
		return done
	}
	if check(cur) {
		return cur, failed
	}
	err := waitNamed(ctx, name, func(ctx context.Context) (bool, error) {
		next, err := get(ctx)
		if err != nil {
			return false, err
		}
		cur = next
		return check(cur), nil
	}, WaitOptions{Sleep: operationSleep(ctx)})
	if err != nil {
		return cur, err
	}
	return cur, failed
}

type sleepKey struct{}

// WithOperationSleep returns a context whose typed operation waits
// (WaitRunOperation, …) use sleep between polls instead of a timer. For tests.
func WithOperationSleep(ctx context.Context, sleep func(ctx context.Context, d time.Duration) error) context.Context {
	return context.WithValue(ctx, sleepKey{}, sleep)
}

func operationSleep(ctx context.Context) func(context.Context, time.Duration) error {
	if s, ok := ctx.Value(sleepKey{}).(func(context.Context, time.Duration) error); ok {
		return s
	}
	return nil
}

// rpcCodeName names a google.rpc.Code.
func rpcCodeName(code int) string {
	names := map[int]string{
		0: "OK", 1: "CANCELLED", 2: "UNKNOWN", 3: "INVALID_ARGUMENT", 4: "DEADLINE_EXCEEDED",
		5: "NOT_FOUND", 6: "ALREADY_EXISTS", 7: "PERMISSION_DENIED", 8: "RESOURCE_EXHAUSTED",
		9: "FAILED_PRECONDITION", 10: "ABORTED", 11: "OUT_OF_RANGE", 12: "UNIMPLEMENTED",
		13: "INTERNAL", 14: "UNAVAILABLE", 15: "DATA_LOSS", 16: "UNAUTHENTICATED",
	}
	if n, ok := names[code]; ok {
		return n
	}
	return "UNKNOWN"
}
