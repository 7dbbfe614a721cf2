package main

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
)

// describeMachine names what the figures were measured on: CPUs, memory,
// kernel, Go and Terraform versions.
func describeMachine(ctx context.Context, terraform string) string {
	var parts []string
	parts = append(parts, strconv.Itoa(runtime.NumCPU())+" CPUs")
	if kb := memTotalKB(); kb > 0 {
		parts = append(parts, strconv.FormatInt(kb/1024/1024, 10)+" GiB memory")
	}
	if model := cpuModel(); model != "" {
		parts = append(parts, model)
	}
	parts = append(parts, runtime.GOOS+"/"+runtime.GOARCH, runtime.Version())
	if data, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(data)); len(f) >= 3 {
			// Other work on the machine skews wall times; say how busy it was.
			parts = append(parts, "load average "+strings.Join(f[:3], " ")+" when the run ended")
		}
	}
	if out, err := exec.CommandContext(ctx, terraform, "version").Output(); err == nil {
		parts = append(parts, strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0]))
	}
	return strings.Join(parts, ", ")
}

func memTotalKB() int64 {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), ":"))
		}
	}
	return ""
}
