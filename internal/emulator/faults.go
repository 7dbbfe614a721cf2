package emulator

import (
	"math/rand"
	"strings"
	"sync"
	"time"
)

// Faults are the realism knobs: latency, injected errors and a concurrent
// policy writer. Draws come from a generator seeded with Seed, so a run is
// deterministic for a given sequence of calls.
type Faults struct {
	// Latency is added to every API call, plus a uniform draw in [0, Jitter).
	Latency time.Duration `json:"latency,omitempty"`
	Jitter  time.Duration `json:"jitter,omitempty"`
	// ErrorRate is the probability that an API call fails with one of
	// ErrorCodes (default 429, 500, 503) before it is handled.
	ErrorRate  float64 `json:"errorRate,omitempty"`
	ErrorCodes []int   `json:"errorCodes,omitempty"`
	// MethodErrorRates overrides ErrorRate per method name
	// ("run.services.setIamPolicy") or method suffix ("*.setIamPolicy").
	MethodErrorRates map[string]float64 `json:"methodErrorRates,omitempty"`
	// ConcurrentWriterRate is the probability that another writer changes a
	// policy (adds a member, bumps the etag) right after a getIamPolicy.
	ConcurrentWriterRate float64 `json:"concurrentWriterRate,omitempty"`
	// FailNext makes the next N calls of a method fail with a code, e.g.
	// {"run.services.setIamPolicy": {Code: 403, Count: 1}}.
	FailNext map[string]*FailSpec `json:"failNext,omitempty"`
	// Seed seeds the random draws.
	Seed int64 `json:"seed,omitempty"`
}

// FailSpec fails the next Count calls with HTTP Code and Message.
type FailSpec struct {
	Code    int    `json:"code"`
	Count   int    `json:"count"`
	Message string `json:"message,omitempty"`
}

type faultInjector struct {
	mu  sync.Mutex
	f   Faults
	rnd *rand.Rand
}

func newFaultInjector(f Faults) *faultInjector {
	fi := &faultInjector{}
	fi.set(f)
	return fi
}

func (fi *faultInjector) set(f Faults) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	if len(f.ErrorCodes) == 0 {
		f.ErrorCodes = []int{429, 500, 503}
	}
	fi.f = f
	fi.rnd = rand.New(rand.NewSource(f.Seed))
}

func (fi *faultInjector) get() Faults {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.f
}

// SetFaults replaces the fault configuration (and reseeds the draws).
func (e *Emulator) SetFaults(f Faults) { e.faults.set(f) }

// Faults returns the fault configuration in force.
func (e *Emulator) Faults() Faults { return e.faults.get() }

// before runs ahead of every API call: it sleeps the configured latency and
// may return an injected error.
func (fi *faultInjector) before(method string) error {
	fi.mu.Lock()
	delay := fi.f.Latency
	if fi.f.Jitter > 0 {
		delay += time.Duration(fi.rnd.Int63n(int64(fi.f.Jitter)))
	}
	var inject *apiError
	if spec := fi.f.FailNext[method]; spec != nil && spec.Count > 0 {
		spec.Count--
		msg := spec.Message
		if msg == "" {
			msg = "Injected failure."
		}
		inject = newError(spec.Code, statusForCode(spec.Code), "%s", msg)
	} else if rate := fi.rateFor(method); rate > 0 && fi.rnd.Float64() < rate {
		code := fi.f.ErrorCodes[fi.rnd.Intn(len(fi.f.ErrorCodes))]
		inject = newError(code, statusForCode(code), "%s", injectedMessage(code))
	}
	fi.mu.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
	if inject != nil {
		return inject
	}
	return nil
}

func (fi *faultInjector) rateFor(method string) float64 {
	if r, ok := fi.f.MethodErrorRates[method]; ok {
		return r
	}
	if i := strings.LastIndex(method, "."); i >= 0 {
		if r, ok := fi.f.MethodErrorRates["*"+method[i:]]; ok {
			return r
		}
	}
	return fi.f.ErrorRate
}

func injectedMessage(code int) string {
	switch code {
	case 429:
		return "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute'. (injected by the emulator)"
	case 503:
		return "The service is currently unavailable. (injected by the emulator)"
	default:
		return "Internal error encountered. (injected by the emulator)"
	}
}

// concurrentWrite draws whether a concurrent writer strikes now.
func (fi *faultInjector) concurrentWrite() bool {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.f.ConcurrentWriterRate > 0 && fi.rnd.Float64() < fi.f.ConcurrentWriterRate
}
