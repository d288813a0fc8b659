package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/waardenbot/waardenbot/bot/schedule"
)

// describe says a spec in words, in the zone it runs in: "elke maandag om
// 09:00 (Europe/Amsterdam)". A spec too irregular for a short sentence is
// shown as typed.
func (b *Bot) describe(c schedule.Spec) string {
	zone := c.Location().String()
	f := c.Fields()
	if f.Every != 0 {
		if f.Every%time.Hour == 0 {
			return b.msg.T("spec.every_hours", int(f.Every/time.Hour), zone)
		}
		return b.msg.T("spec.every_minutes", int(f.Every/time.Minute), zone)
	}
	if d, ok := b.describeFields(f); ok {
		return d + " (" + zone + ")"
	}
	return b.msg.T("spec.literal", c.Text(), zone)
}

// describeFields says the fields of a spec in words; a field given as *
// is nil in f.
func (b *Bot) describeFields(f schedule.Fields) (string, bool) {
	var days string
	switch {
	case f.Dom == nil && f.Dow == nil:
		days = b.msg.T("spec.daily")
	case f.Dom == nil:
		if fmt.Sprint(f.Dow) == "[1 2 3 4 5]" {
			days = b.msg.T("spec.weekdays")
			break
		}
		var names []string
		for _, d := range f.Dow {
			names = append(names, b.msg.T("sched.day."+strconv.Itoa(d)))
		}
		days = b.msg.T("spec.each", b.list(names))
	case f.Dow == nil:
		var ns []string
		for _, d := range f.Dom {
			ns = append(ns, strconv.Itoa(d))
		}
		days = b.msg.T("spec.dom", b.list(ns))
	default:
		return "", false // cron's "either day field" rule needs more than a phrase
	}
	if f.Month != nil {
		var ms []string
		for _, m := range f.Month {
			ms = append(ms, b.msg.T("sched.month."+strconv.Itoa(m)))
		}
		days += " " + b.msg.T("spec.in", b.list(ms))
	}
	secs, mins := f.Second, f.Minute
	if len(secs) != 1 || len(mins) != 1 {
		return "", false
	}
	if f.Hour == nil {
		return b.msg.T("spec.hourly", days, mins[0]), secs[0] == 0
	}
	if len(f.Hour) > 4 {
		return "", false
	}
	var times []string
	for _, h := range f.Hour {
		t := fmt.Sprintf("%02d:%02d", h, mins[0])
		if secs[0] != 0 {
			t += fmt.Sprintf(":%02d", secs[0])
		}
		times = append(times, t)
	}
	return b.msg.T("spec.at", days, b.list(times)), true
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
