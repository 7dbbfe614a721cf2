package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// rssSampler records the peak resident set size of the provider processes
// that Terraform starts. Terraform runs the provider as its child (several
// times per command: validation, plan, apply), so while a phase runs the
// sampler scans /proc every interval for processes whose executable is the
// provider binary and keeps the largest VmHWM (the kernel's high-water mark
// of the resident set, which only grows). Growth in the last interval before
// a process exits is the only thing it can miss.
type rssSampler struct {
	binary   string // resolved path of the provider executable
	interval time.Duration

	mu     sync.Mutex
	peakKB int64
	seen   map[int]bool
	stop   chan struct{}
	done   chan struct{}
}

// startRSSSampler starts sampling; Stop returns the peak in KiB and how
// many provider processes were seen.
func startRSSSampler(binary string, interval time.Duration) *rssSampler {
	if p, err := filepath.EvalSymlinks(binary); err == nil {
		binary = p
	}
	s := &rssSampler{binary: binary, interval: interval, seen: map[int]bool{}, stop: make(chan struct{}), done: make(chan struct{})}
	go s.loop()
	return s
}

func (s *rssSampler) loop() {
	defer close(s.done)
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		s.sample()
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
	}
}

// Stop ends sampling and returns the peak VmHWM (KiB) over every provider
// process seen, and their number.
func (s *rssSampler) Stop() (peakKB int64, processes int) {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peakKB, len(s.seen)
}

func (s *rssSampler) sample() {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err != nil || strings.TrimSuffix(exe, " (deleted)") != s.binary {
			continue
		}
		kb := vmHWM(filepath.Join("/proc", e.Name(), "status"))
		s.mu.Lock()
		s.seen[pid] = true
		if kb > s.peakKB {
			s.peakKB = kb
		}
		s.mu.Unlock()
	}
}

// vmHWM reads the VmHWM line of a /proc/PID/status file, in KiB (0 when it
// cannot be read).
func vmHWM(statusPath string) int64 {
	f, err := os.Open(statusPath)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			fields := strings.Fields(rest)
			if len(fields) > 0 {
				n, _ := strconv.ParseInt(fields[0], 10, 64)
				return n
			}
		}
	}
	return 0
}
