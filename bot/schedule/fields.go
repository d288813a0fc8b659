package schedule

import (
	"math/bits"
	"time"

	"github.com/robfig/cron/v3"
)

// Fields is a spec taken apart into the values each field allows, for
// saying it in words. A field written as * or ? is nil.
type Fields struct {
	Every time.Duration // @every: the interval; the other fields are nil

	Second, Minute, Hour []int
	Dom, Month, Dow      []int // days of the month 1–31, months 1–12, weekdays 0–6 (Sunday 0)
}

// starBit is robfig/cron's mark for a field given as * or ?.
const starBit = 1 << 63

// Fields takes the spec apart.
func (c Spec) Fields() Fields {
	switch s := c.sched.(type) {
	case cron.ConstantDelaySchedule:
		return Fields{Every: s.Delay}
	case *cron.SpecSchedule:
		return Fields{
			Second: setBits(s.Second, 0, 59), Minute: setBits(s.Minute, 0, 59), Hour: setBits(s.Hour, 0, 23),
			Dom: setBits(s.Dom, 1, 31), Month: setBits(s.Month, 1, 12), Dow: setBits(s.Dow, 0, 6),
		}
	}
	return Fields{}
}

// setBits lists the values whose bits are set in a cron field, or nil for
// a field given as * or ?.
func setBits(field uint64, lo, hi int) []int {
	if field&starBit != 0 {
		return nil
	}
	var out []int
	for field != 0 {
		i := bits.TrailingZeros64(field)
		field &^= 1 << i
		if i >= lo && i <= hi {
			out = append(out, i)
		}
	}
	return out
}
