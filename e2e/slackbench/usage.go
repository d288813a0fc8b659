package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTick is the unit of /proc's CPU times (USER_HZ), 100 a second on
// every Linux that Go runs on.
const clockTick = 10 * time.Millisecond

// Usage is how the CPUs were used during a measured window: the share of
// one CPU that each process and the CPUs as a whole were busy. What a
// CPU was busy with beyond the process pinned to it is the machine's
// other work: a noisy window.
type Usage struct {
	Server      float64 // the server process
	Generator   float64 // the load generator process
	ServerCPU   float64 // the server's CPU, busy with anything (steal not included)
	LoadCPU     float64 // the generator's CPU, busy with anything
	ServerSteal float64 // the server's CPU's steal: the hypervisor ran someone else
	LoadSteal   float64
}

// Others is the share of the server's CPU that other work used.
func (u Usage) Others() float64 { return max(0, u.ServerCPU-u.Server) }

// LoadOthers is the share of the generator's CPU that other work used.
func (u Usage) LoadOthers() float64 { return max(0, u.LoadCPU-u.Generator) }

func (u Usage) String() string {
	return fmt.Sprintf("CPU: server %.0f%%, generator %.0f%%; other work on the server's CPU %.0f%% (steal %.0f%%), on the generator's %.0f%% (steal %.0f%%)",
		100*u.Server, 100*u.Generator, 100*u.Others(), 100*u.ServerSteal, 100*u.LoadOthers(), 100*u.LoadSteal)
}

// cpuSample is what the kernel says about CPU time at one moment.
type cpuSample struct {
	at          time.Time
	self        time.Duration // this process, user and system
	server      time.Duration // the server process
	cpus        map[int]cpuTimes
	serverCPU   int
	loadCPU     int
	serverPID   int
	unavailable error
}

// cpuTimes are one CPU's times from /proc/stat.
type cpuTimes struct{ busy, steal time.Duration }

// sampleCPU reads the times of this process, of the server process and of
// the two CPUs.
func sampleCPU(serverPID, serverCPU, loadCPU int) cpuSample {
	s := cpuSample{at: time.Now(), serverCPU: serverCPU, loadCPU: loadCPU, serverPID: serverPID}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		s.unavailable = err
		return s
	}
	s.self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	if s.server, s.unavailable = processTime(serverPID); s.unavailable != nil {
		return s
	}
	s.cpus, s.unavailable = cpuTimesByCPU()
	return s
}

// usageBetween is the usage from a to b.
func usageBetween(a, b cpuSample) (Usage, error) {
	if a.unavailable != nil {
		return Usage{}, a.unavailable
	}
	if b.unavailable != nil {
		return Usage{}, b.unavailable
	}
	wall := b.at.Sub(a.at).Seconds()
	if wall <= 0 {
		return Usage{}, fmt.Errorf("empty window")
	}
	share := func(d time.Duration) float64 { return d.Seconds() / wall }
	return Usage{
		Server:      share(b.server - a.server),
		Generator:   share(b.self - a.self),
		ServerCPU:   share(b.cpus[a.serverCPU].busy - a.cpus[a.serverCPU].busy),
		LoadCPU:     share(b.cpus[a.loadCPU].busy - a.cpus[a.loadCPU].busy),
		ServerSteal: share(b.cpus[a.serverCPU].steal - a.cpus[a.serverCPU].steal),
		LoadSteal:   share(b.cpus[a.loadCPU].steal - a.cpus[a.loadCPU].steal),
	}, nil
}

// processTime is a process's user and system time from /proc/PID/stat.
func processTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b[i+1:]))
	if i < 0 || len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	// Fields 14 and 15 (utime, stime) are the 12th and 13th after ')'.
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	return time.Duration(ut+st) * clockTick, nil
}

// cpuTimesByCPU reads every CPU's line of /proc/stat: busy is user, nice,
// system, irq and softirq (guest time is inside user); idle, iowait and
// steal are not busy.
func cpuTimesByCPU() (map[int]cpuTimes, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return nil, err
	}
	out := map[int]cpuTimes{}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 9 || !strings.HasPrefix(f[0], "cpu") || f[0] == "cpu" {
			continue
		}
		n, err := strconv.Atoi(f[0][3:])
		if err != nil {
			continue
		}
		var v [8]int64
		for i := range v {
			v[i], _ = strconv.ParseInt(f[i+1], 10, 64)
		}
		user, nice, system, irq, softirq, steal := v[0], v[1], v[2], v[5], v[6], v[7]
		out[n] = cpuTimes{busy: time.Duration(user+nice+system+irq+softirq) * clockTick, steal: time.Duration(steal) * clockTick}
	}
	return out, nil
}

// allowedCPUs is a process's Cpus_allowed_list from /proc/PID/status
// ("self" for this one), such as "0" or "0-1".
func allowedCPUs(pid string) string {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "Cpus_allowed_list:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// loadAverage is /proc/loadavg's first three fields.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}
