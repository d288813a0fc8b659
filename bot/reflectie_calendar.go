package bot

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/waardenbot/waardenbot/bot/calendar"
	"github.com/waardenbot/waardenbot/bot/schedule"
)

// The /reflectie subcommands that fit the prompt to the council's
// calendar: feestdagen, pauze, hervat and overslaan. Package schedule
// decides which runs move or are left out; here are the words.

// holidayRules maps what users type after /reflectie feestdagen to a rule.
var holidayRules = map[string]schedule.HolidayRule{
	"volgende werkdag": schedule.HolidaysNextWorkingDay,
	"volgende":         schedule.HolidaysNextWorkingDay,
	"werkdag":          schedule.HolidaysNextWorkingDay,
	"next working day": schedule.HolidaysNextWorkingDay,
	"next":             schedule.HolidaysNextWorkingDay,
	"overslaan":        schedule.HolidaysSkip,
	"skip":             schedule.HolidaysSkip,
	"negeren":          schedule.HolidaysIgnore,
	"ignore":           schedule.HolidaysIgnore,
}

// ruleKey is the catalog key that says what a holiday rule does.
func ruleKey(r schedule.HolidayRule) string {
	switch r {
	case schedule.HolidaysSkip:
		return "reflectie.rule.skip"
	case schedule.HolidaysIgnore:
		return "reflectie.rule.ignore"
	}
	return "reflectie.rule.next"
}

// reflectieHolidayRule answers /reflectie feestdagen: the channel's rule.
func (b *Bot) reflectieHolidayRule(ctx context.Context, req Request) Reply {
	st, err := b.sched.Reflection(ctx, destination(req), 0)
	if err != nil {
		return b.failed("reflection holiday rule", err)
	}
	return Reply{Text: b.msg.T("reflectie.holidays", b.msg.T(ruleKey(st.Schedule.Choices().Holidays))) + "\n" + b.msg.T("reflectie.rule_usage"), Ephemeral: true}
}

// reflectieHolidays answers /reflectie feestdagen overslaan|volgende
// werkdag|negeren.
func (b *Bot) reflectieHolidays(ctx context.Context, req Request, arg string) Reply {
	rule, ok := holidayRules[strings.ToLower(strings.Join(strings.Fields(arg), " "))]
	if !ok {
		return b.refuse("reflectie.rule_unknown", Quote(arg, 30))
	}
	if _, err := b.sched.SetHolidays(ctx, destination(req), who(req), rule); err != nil {
		return b.failed("set holiday rule", err)
	}
	return Reply{Text: b.msg.T("reflectie.holidays", b.msg.T(ruleKey(rule)))}
}

// parsePause reads the days of /reflectie pauze: "tot DATUM" (from today),
// or "DATUM DATUM"; "tot en met", "t/m", "until" and a "tot" between the
// dates are read too. A zero From is today. A refusal comes back as a
// Reply.
func (b *Bot) parsePause(args string) (schedule.Period, *Reply) {
	refuse := func(key string, a ...any) (schedule.Period, *Reply) {
		r := b.refuse(key, a...)
		return schedule.Period{}, &r
	}
	var days []calendar.Date
	untilOnly := false
	for _, w := range strings.Fields(strings.ToLower(args)) {
		switch w {
		case "tot", "t/m", "until", "to", "en", "met", "-", "–":
			untilOnly = untilOnly || len(days) == 0
			continue
		}
		d, err := parseDay(w)
		switch {
		case errors.Is(err, errNoDate):
			return refuse("reflectie.pause_no_date", Quote(w, 30))
		case err != nil:
			return refuse("reflectie.pause_bad", Quote(w, 30))
		}
		days = append(days, d)
	}
	switch {
	case len(days) == 1 && untilOnly:
		return schedule.Period{To: days[0]}, nil
	case len(days) == 2 && !untilOnly:
		return schedule.Period{From: days[0], To: days[1]}, nil
	}
	return refuse("reflectie.pause_usage")
}

// reflectiePause answers /reflectie pauze tot DATUM and /reflectie pauze
// VAN TOT.
func (b *Bot) reflectiePause(ctx context.Context, req Request, args string) Reply {
	p, refusal := b.parsePause(args)
	if refusal != nil {
		return *refusal
	}
	sc, next, err := b.sched.Pause(ctx, destination(req), who(req), p)
	switch {
	case errors.Is(err, schedule.ErrAlreadyOff):
		return b.refuse("reflectie.calendar_off")
	case errors.Is(err, schedule.ErrPauseOrder):
		return b.refuse("reflectie.pause_order", b.shortDay(p.To), b.shortDay(p.From))
	case errors.Is(err, schedule.ErrPauseOver):
		return b.refuse("reflectie.pause_over", b.shortDay(p.To))
	case errors.Is(err, schedule.ErrPauseTooFar):
		return b.refuse("reflectie.pause_far")
	case err != nil:
		return b.failed("pause reflection", err)
	}
	paused := sc.Choices().Pause
	text := b.msg.T("reflectie.paused", b.shortDay(paused.From), b.shortDay(paused.To))
	return Reply{Text: text + " " + b.nextNote(next, b.zoneOf(sc))}
}

// reflectieResume answers /reflectie hervat.
func (b *Bot) reflectieResume(ctx context.Context, req Request) Reply {
	sc, next, err := b.sched.Resume(ctx, destination(req), who(req))
	switch {
	case errors.Is(err, schedule.ErrNotPaused):
		return Reply{Text: b.msg.T("reflectie.not_paused"), Ephemeral: true}
	case err != nil:
		return b.failed("resume reflection", err)
	}
	return Reply{Text: b.msg.T("reflectie.resumed") + " " + b.nextNote(next, b.zoneOf(sc))}
}

// reflectieSkip answers /reflectie overslaan.
func (b *Bot) reflectieSkip(ctx context.Context, req Request) Reply {
	sc, skipped, next, err := b.sched.SkipNext(ctx, destination(req), who(req))
	switch {
	case errors.Is(err, schedule.ErrAlreadyOff):
		return b.refuse("reflectie.calendar_off")
	case errors.Is(err, schedule.ErrNoRunToSkip):
		return b.refuse("reflectie.skip_none")
	case errors.Is(err, schedule.ErrTooManySkips):
		return b.refuse("reflectie.skip_many", schedule.MaxSkipped)
	case err != nil:
		return b.failed("skip reflection", err)
	}
	loc := b.zoneOf(sc)
	return Reply{Text: b.msg.T("reflectie.skipped", b.when(skipped, loc)) + " " + b.nextNote(next, loc)}
}

// nextNote says when the next prompt comes, or that none is planned.
func (b *Bot) nextNote(next time.Time, loc *time.Location) string {
	if next.IsZero() {
		return b.msg.T("reflectie.next_none")
	}
	return b.msg.T("reflectie.next_at", b.when(next, loc))
}

// occurrence writes one line of /reflectie status: a run, where it moved
// from and why, or a run the calendar leaves out and why. Holiday and
// recess names are data from the library and the configuration.
func (b *Bot) occurrence(o schedule.Occurrence, loc *time.Location) string {
	why := o.Why
	switch {
	case !o.At.IsZero() && why.Cause == schedule.CauseHoliday:
		return b.msg.T("reflectie.moved", b.when(o.At, loc), b.date(o.Planned.In(loc)), Escape(why.Name))
	case !o.At.IsZero():
		return b.when(o.At, loc)
	}
	switch why.Cause {
	case schedule.CauseHoliday:
		return b.msg.T("reflectie.left.holiday", b.date(o.Planned.In(loc)), Escape(why.Name))
	case schedule.CauseRecess:
		return b.msg.T("reflectie.left.recess", Escape(why.Name), b.shortDay(why.To))
	case schedule.CausePause:
		return b.msg.T("reflectie.left.pause", b.shortDay(why.From), b.shortDay(why.To))
	}
	return b.msg.T("reflectie.left.skip", b.when(o.Planned, loc))
}

// movedNote is the note on a prompt that a holiday moved to the next
// working day.
func (b *Bot) movedNote(c schedule.Claimed) string {
	if c.Why.Cause != schedule.CauseHoliday {
		return ""
	}
	return b.msg.T("reflectie.posted_moved", b.date(c.Planned.In(b.zoneOf(c.Schedule))), Escape(c.Why.Name))
}

// prepMoved says where a debate's prep card moved from and why, or
// nothing when it did not move.
func (b *Bot) prepMoved(sc schedule.Schedule) string {
	m := sc.PrepMoved
	if m == nil {
		return ""
	}
	from := b.date(m.From.In(b.cfg.Location))
	switch m.Why.Cause {
	case schedule.CauseHoliday:
		return b.msg.T("debat.moved.holiday", from, Escape(m.Why.Name))
	case schedule.CauseRecess:
		return b.msg.T("debat.moved.recess", from, Escape(m.Why.Name))
	case schedule.CauseWeekend:
		return b.msg.T("debat.moved.weekend", from)
	}
	return ""
}

// shortDay writes a day without its weekday: "29 augustus 2027".
func (b *Bot) shortDay(d calendar.Date) string {
	return b.msg.T("reflectie.day", d.Day, b.msg.T("sched.month."+strconv.Itoa(int(d.Month))), d.Year)
}
