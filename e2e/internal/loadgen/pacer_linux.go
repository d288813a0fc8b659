package loadgen

import (
	"encoding/binary"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// pacer ticks every interval from start (the first tick at start +
// interval). On Linux it is a timerfd in the runtime's network poller:
// the kernel's high-resolution timer wakes the generator within tens of
// microseconds, where a time.Sleep wakes it with the poller's
// millisecond resolution.
type pacer struct {
	start time.Time
	file  *os.File
	once  sync.Once
}

func newPacer(interval time.Duration) (*pacer, error) {
	const clockMonotonic = 1
	fd, _, errno := syscall.Syscall(syscall.SYS_TIMERFD_CREATE, clockMonotonic, syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if errno != 0 {
		return nil, fmt.Errorf("timerfd_create: %w", errno)
	}
	// A non-blocking descriptor: os.NewFile puts it in the poller.
	p := &pacer{file: os.NewFile(fd, "timerfd")}
	spec := struct{ interval, value syscall.Timespec }{
		interval: syscall.NsecToTimespec(int64(interval)),
		value:    syscall.NsecToTimespec(int64(interval)),
	}
	p.start = time.Now()
	_, _, errno = syscall.Syscall6(syscall.SYS_TIMERFD_SETTIME, fd, 0, uintptr(unsafe.Pointer(&spec)), 0, 0, 0)
	if errno != 0 {
		p.close()
		return nil, fmt.Errorf("timerfd_settime: %w", errno)
	}
	return p, nil
}

// wait waits for the next tick and returns how many ticks have passed
// since the last call (more than one when the caller was late).
func (p *pacer) wait() (int, error) {
	var b [8]byte
	if _, err := p.file.Read(b[:]); err != nil {
		return 0, err
	}
	return int(binary.NativeEndian.Uint64(b[:])), nil
}

// close stops the ticks; a wait in progress returns an error.
func (p *pacer) close() { p.once.Do(func() { p.file.Close() }) }
