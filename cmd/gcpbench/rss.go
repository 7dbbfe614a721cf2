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
// provider binary and that descend from this process (gcpbench starts
// Terraform, Terraform starts the provider), and keeps the largest VmHWM (the
// kernel's high-water mark of the resident set, which only grows). Provider
// processes of anything else on the machine (another benchmark, an editor's
// language server running Terraform) are not counted. Growth in the last
// interval before a process exits is the only thing it can miss.
type rssSampler struct {
	binary   string // resolved path of the provider executable
	root     int    // only descendants of this process are sampled
	interval time.Duration

	mu     sync.Mutex
	peakKB int64
	seen   map[int]bool
	stop   chan struct{}
	done   chan struct{}
}

// startRSSSampler starts sampling the descendants of this process that run
// binary; Stop returns the peak in KiB and how many processes were seen.
func startRSSSampler(binary string, interval time.Duration) *rssSampler {
	s := newRSSSampler(binary, os.Getpid(), interval)
	go s.loop()
	return s
}

// newRSSSampler returns a sampler of the descendants of root that run
// binary, without starting its loop.
func newRSSSampler(binary string, root int, interval time.Duration) *rssSampler {
	if p, err := filepath.EvalSymlinks(binary); err == nil {
		binary = p
	}
	return &rssSampler{binary: binary, root: root, interval: interval, seen: map[int]bool{},
		stop: make(chan struct{}), done: make(chan struct{})}
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
		if err != nil || strings.TrimSuffix(exe, " (deleted)") != s.binary || !descendsFrom(pid, s.root) {
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

// descendsFrom reports whether pid is a descendant of root, following the
// parent links in /proc/PID/stat. A process that exits while the chain is
// read is not a descendant.
func descendsFrom(pid, root int) bool {
	for depth := 0; pid > 1 && depth < 64; depth++ {
		ppid := parentPID(pid)
		if ppid == root {
			return true
		}
		pid = ppid
	}
	return false
}

// parentPID reads the parent process ID from /proc/PID/stat (0 when it
// cannot be read). The command name in the second field is in parentheses
// and may itself contain spaces and parentheses, so the fields after the
// last ')' are parsed: state, then ppid.
func parentPID(pid int) int {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0
	}
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	fields := strings.Fields(string(b[i+1:]))
	if len(fields) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(fields[1])
	return ppid
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
