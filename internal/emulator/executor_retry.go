package emulator

import (
	"time"

	scheduler "google.golang.org/api/cloudscheduler/v1"
)

// jobRetry is an execution that failed and will be retried.
type jobRetry struct {
	done         int       // retries made so far
	first        time.Time // first attempt of the execution
	scheduleTime time.Time // sent as X-CloudScheduler-ScheduleTime on every retry
	due          time.Time
}

// forgetRetry drops a pending retry (job updated, paused, resumed, deleted).
func (r *jobRunner) forgetRetry(name string) {
	r.mu.Lock()
	delete(r.retries, name)
	r.mu.Unlock()
}

func (r *jobRunner) retryDue(name string) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rt, ok := r.retries[name]; ok {
		return rt.due, true
	}
	return time.Time{}, false
}

func (r *jobRunner) retryScheduleTime(name string) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rt, ok := r.retries[name]; ok {
		return rt.scheduleTime, true
	}
	return time.Time{}, false
}

// afterAttempt updates the retry state of a job after an attempt at now and
// returns when the job runs next: a retry time or its next cron time.
func (r *jobRunner) afterAttempt(name string, job *scheduler.Job, kind fireKind, ok bool, now, scheduleTime time.Time) time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	rt := r.retries[name]
	if kind != fireRetry || rt == nil {
		rt = &jobRetry{first: now, scheduleTime: scheduleTime}
	}
	if !ok {
		if backoff, retry := retryBackoff(job.RetryConfig, rt.done, now.Sub(rt.first)); retry {
			rt.done++
			rt.due = now.Add(backoff)
			r.retries[name] = rt
			return rt.due
		}
	}
	delete(r.retries, name)
	return nextFire(job, now)
}

// retryBackoff says whether a failed execution is retried after done retries
// and elapsed time since its first attempt, and after how long. The interval
// starts at minBackoff, doubles maxDoublings times, then grows linearly by
// the last doubled interval, capped at maxBackoff (Google's documented
// sequence: 10s, 20s, 40s, 80s, 160s, 240s, 300s for 10s/300s/3 doublings).
func retryBackoff(rc *scheduler.RetryConfig, done int, elapsed time.Duration) (time.Duration, bool) {
	if rc == nil {
		return 0, false
	}
	maxDur, _ := parseDuration(orDefault(rc.MaxRetryDuration, defaultMaxRetryDuration), "")
	countLeft := int64(done) < rc.RetryCount
	timeLeft := maxDur > 0 && elapsed < maxDur
	if !countLeft && !timeLeft {
		return 0, false
	}
	minB, _ := parseDuration(orDefault(rc.MinBackoffDuration, defaultMinBackoff), "")
	maxB, _ := parseDuration(orDefault(rc.MaxBackoffDuration, defaultMaxBackoff), "")
	doublings := int(rc.MaxDoublings)
	var d time.Duration
	if done <= doublings {
		d = minB << uint(done)
	} else {
		d = (minB << uint(doublings)) * time.Duration(done-doublings+1)
	}
	if d > maxB || d <= 0 {
		d = maxB
	}
	return d, true
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
