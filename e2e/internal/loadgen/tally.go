package loadgen

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"time"
)

// Tally counts the outcome of requests.
type Tally struct {
	Answers int // answers read
	// OK are the correct answers: a 200 whose body is not empty and
	// contains the target's Expect.
	OK int
	// Status counts the answers other than 200, by status. waardenbot
	// answers 503 when its replay guard is full (about 262,144 signatures
	// within five minutes) and 401 to a bad signature.
	Status map[int]int `json:",omitempty"`
	// WrongBody counts the 200s that are empty or lack Expect: an empty
	// 200 is how waardenbot answers a signature it has seen before.
	WrongBody int
	// Errors counts failed connections, writes and reads (refused,
	// reset, timed out, malformed answers).
	Errors int
	// Example is the first wrong answer or error, shortened: what went
	// wrong.
	Example string `json:",omitempty"`
}

// Wrong is the number of requests that did not get a correct answer.
func (t Tally) Wrong() int {
	n := t.WrongBody + t.Errors
	for _, c := range t.Status {
		n += c
	}
	return n
}

// count adds an answer and reports whether it is correct.
func (t *Tally) count(r Response, expect string) bool {
	t.Answers++
	switch {
	case r.Status != 200:
		if t.Status == nil {
			t.Status = map[int]int{}
		}
		t.Status[r.Status]++
	case len(r.Body) == 0 || !bytes.Contains(r.Body, []byte(expect)):
		t.WrongBody++
	default:
		t.OK++
		return true
	}
	if t.Example == "" {
		t.Example = fmt.Sprintf("status %d, body %.120q", r.Status, r.Body)
	}
	return false
}

// fail adds a failed request.
func (t *Tally) fail(err error) {
	t.Errors++
	if t.Example == "" {
		t.Example = err.Error()
	}
}

// Add adds the counts of u.
func (t *Tally) Add(u Tally) {
	t.Answers += u.Answers
	t.OK += u.OK
	t.WrongBody += u.WrongBody
	t.Errors += u.Errors
	for s, c := range u.Status {
		if t.Status == nil {
			t.Status = map[int]int{}
		}
		t.Status[s] += c
	}
	if t.Example == "" {
		t.Example = u.Example
	}
}

// Percentiles summarises durations.
type Percentiles struct {
	P50, P90, P99, P999, Max time.Duration
}

// percentiles of d (nearest rank), which it sorts.
func percentiles(d []time.Duration) Percentiles {
	if len(d) == 0 {
		return Percentiles{}
	}
	slices.Sort(d)
	rank := func(p float64) time.Duration {
		i := int(math.Ceil(p*float64(len(d)))) - 1
		return d[min(max(i, 0), len(d)-1)]
	}
	return Percentiles{P50: rank(0.50), P90: rank(0.90), P99: rank(0.99), P999: rank(0.999), Max: d[len(d)-1]}
}

// String formats p in milliseconds.
func (p Percentiles) String() string {
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	return fmt.Sprintf("p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f ms",
		ms(p.P50), ms(p.P90), ms(p.P99), ms(p.P999), ms(p.Max))
}
