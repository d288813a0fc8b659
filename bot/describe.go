package bot

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// starBit is robfig/cron's mark for a field given as * or ?.
const starBit = 1 << 63

// describe says a spec in words, in the zone it runs in: "elke maandag om
// 09:00 (Europe/Amsterdam)". A spec too irregular for a short sentence is
// shown as typed.
func (b *Bot) describe(c cronSpec) string {
	zone := c.loc.String()
	switch s := c.sched.(type) {
	case cron.ConstantDelaySchedule:
		if s.Delay%time.Hour == 0 {
			return b.msg.T("spec.every_hours", int(s.Delay/time.Hour), zone)
		}
		return b.msg.T("spec.every_minutes", int(s.Delay/time.Minute), zone)
	case *cron.SpecSchedule:
		if d, ok := b.describeFields(s); ok {
			return d + " (" + zone + ")"
		}
	}
	return b.msg.T("spec.literal", c.text, zone)
}

func (b *Bot) describeFields(s *cron.SpecSchedule) (string, bool) {
	secs, mins, hours := setBits(s.Second, 0, 59), setBits(s.Minute, 0, 59), setBits(s.Hour, 0, 23)
	var days string
	domStar, dowStar := s.Dom&starBit != 0, s.Dow&starBit != 0
	switch {
	case domStar && dowStar:
		days = b.msg.T("spec.daily")
	case domStar:
		dows := setBits(s.Dow, 0, 6)
		if fmt.Sprint(dows) == "[1 2 3 4 5]" {
			days = b.msg.T("spec.weekdays")
			break
		}
		var names []string
		for _, d := range dows {
			names = append(names, b.msg.T("sched.day."+strconv.Itoa(d)))
		}
		days = b.msg.T("spec.each", b.list(names))
	case dowStar:
		var ns []string
		for _, d := range setBits(s.Dom, 1, 31) {
			ns = append(ns, strconv.Itoa(d))
		}
		days = b.msg.T("spec.dom", b.list(ns))
	default:
		return "", false // cron's "either day field" rule needs more than a phrase
	}
	if s.Month&starBit == 0 {
		var ms []string
		for _, m := range setBits(s.Month, 1, 12) {
			ms = append(ms, b.msg.T("sched.month."+strconv.Itoa(m)))
		}
		days += " " + b.msg.T("spec.in", b.list(ms))
	}
	if len(secs) != 1 || len(mins) != 1 {
		return "", false
	}
	if s.Hour&starBit != 0 {
		return b.msg.T("spec.hourly", days, mins[0]), secs[0] == 0
	}
	if len(hours) > 4 {
		return "", false
	}
	var times []string
	for _, h := range hours {
		t := fmt.Sprintf("%02d:%02d", h, mins[0])
		if secs[0] != 0 {
			t += fmt.Sprintf(":%02d", secs[0])
		}
		times = append(times, t)
	}
	return b.msg.T("spec.at", days, b.list(times)), true
}

// setBits lists the values whose bits are set in a cron field.
func setBits(field uint64, lo, hi int) []int {
	var out []int
	field &^= starBit
	for field != 0 {
		i := bits.TrailingZeros64(field)
		field &^= 1 << i
		if i >= lo && i <= hi {
			out = append(out, i)
		}
	}
	return out
}

// list joins items as a sentence does: "a, b en c".
func (b *Bot) list(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + b.msg.T("sched.and") + items[len(items)-1]
}

// when writes a moment in words in loc: "maandag 30 november 2026 om 09:00".
func (b *Bot) when(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return b.msg.T("sched.when", b.date(t), t.Format("15:04"))
}

// date writes a day in words: "maandag 30 november 2026".
func (b *Bot) date(t time.Time) string {
	return b.msg.T("sched.date", b.msg.T("sched.day."+strconv.Itoa(int(t.Weekday()))), t.Day(), b.msg.T("sched.month."+strconv.Itoa(int(t.Month()))), t.Year())
}
