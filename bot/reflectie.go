package bot

import (
	"context"
	"errors"
	"strings"

	"github.com/waardenbot/waardenbot/bot/schedule"
)

// reflectie answers /reflectie aan|status|uit|nu, and pauze, hervat,
// overslaan and feestdagen (reflectie_calendar.go): the channel's
// recurring reflection prompt.
func (b *Bot) reflectie(ctx context.Context, req Request) Reply {
	sub, rest, _ := strings.Cut(req.Args, " ")
	var change func() Reply // a subcommand that changes the schedule
	switch strings.ToLower(sub) {
	case "", "status":
		return b.reflectieStatus(ctx, req)
	case "feestdagen", "holidays":
		if rest == "" {
			return b.reflectieHolidayRule(ctx, req)
		}
		change = func() Reply { return b.reflectieHolidays(ctx, req, rest) }
	case "pauze", "pause":
		change = func() Reply { return b.reflectiePause(ctx, req, rest) }
	case "hervat", "resume":
		change = func() Reply { return b.reflectieResume(ctx, req) }
	case "overslaan", "skip":
		change = func() Reply { return b.reflectieSkip(ctx, req) }
	case "aan", "on":
		change = func() Reply { return b.reflectieOn(ctx, req, rest) }
	case "uit", "off":
		change = func() Reply { return b.reflectieOff(ctx, req) }
	case "nu", "now":
		change = func() Reply { return b.reflectieNow(ctx, req) }
	default:
		return b.refuse("reflectie.usage", Quote(sub, 30))
	}
	if !b.mayChange(ctx, req) {
		return b.refuse("sched.admins")
	}
	return change()
}

// mayChange reports whether the user may change schedules: anyone when no
// admins are configured, else configured admins and users the platform
// calls channel or team admins.
func (b *Bot) mayChange(ctx context.Context, req Request) bool {
	return len(b.cfg.Admins) == 0 || b.isAdmin(ctx, req)
}

func who(req Request) string {
	if req.UserName != "" {
		return req.UserName
	}
	return req.User
}

// failed logs err and tells the user that something went wrong on the
// bot's side.
func (b *Bot) failed(what string, err error) Reply {
	if errors.Is(err, schedule.ErrNoStore) {
		return b.refuse("sched.no_store")
	}
	b.log.Error(what, "err", err, "fix", fixStore)
	return b.refuse("err.internal")
}

func (b *Bot) reflectieOn(ctx context.Context, req Request, args string) Reply {
	specText, zoneName, err := splitSpecArgs(args)
	if err != nil {
		return b.refuse("reflectie.two_zones")
	}
	loc := b.cfg.Location
	if zoneName != "" {
		l, ok := schedule.LoadZone(zoneName)
		if !ok {
			return b.refuse("reflectie.zone", Quote(strings.TrimPrefix(zoneName, "="), 40))
		}
		loc = l
	}
	spec, err := schedule.ParseSpec(specText, loc, b.now())
	if err != nil {
		var se *schedule.SpecError
		if errors.As(err, &se) {
			return b.refuseSpec(se)
		}
		return b.failed("parse spec", err)
	}
	_, next, err := b.sched.TurnOn(ctx, destination(req), who(req), spec)
	if err != nil {
		return b.failed("turn reflection on", err)
	}
	return Reply{Text: b.msg.T("reflectie.on", b.describe(spec), b.when(next, loc))}
}

// refuseSpec explains a refused spec and shows one that works. What the
// user typed is echoed escaped.
func (b *Bot) refuseSpec(se *schedule.SpecError) Reply {
	args := make([]any, len(se.Args))
	for i, a := range se.Args {
		if e, ok := a.(schedule.Echo); ok {
			a = Quote(e.Text, e.Max)
		}
		args[i] = a
	}
	r := b.refuse(se.Key, args...)
	r.Text += "\n" + b.msg.T("spec.example")
	return r
}

func (b *Bot) reflectieOff(ctx context.Context, req Request) Reply {
	_, err := b.sched.TurnOff(ctx, destination(req), who(req))
	switch {
	case errors.Is(err, schedule.ErrAlreadyOff):
		return Reply{Text: b.msg.T("reflectie.was_off"), Ephemeral: true}
	case err != nil:
		return b.failed("turn reflection off", err)
	}
	return Reply{Text: b.msg.T("reflectie.off")}
}

// reflectieNow posts the next prompt of the rotation as the reply. When the
// schedule is on, it takes the place of the next scheduled prompt: it claims
// that run, so the scheduler will not post it.
func (b *Bot) reflectieNow(ctx context.Context, req Request) Reply {
	p, err := b.sched.PromptNow(ctx, destination(req), who(req))
	var taken *schedule.PromptTakenError
	switch {
	case errors.As(err, &taken) && !taken.Next.IsZero():
		return b.refuse("reflectie.now_done", b.when(taken.Next, taken.Loc))
	case errors.As(err, &taken):
		return b.refuse("reflectie.now_again")
	case err != nil:
		return b.failed("reflection prompt now", err)
	}
	note := b.msg.T("reflectie.now_off")
	if p.Counts {
		note = b.msg.T("reflectie.now_counts", b.when(p.At, p.Loc))
	}
	return b.reflectionPrompt(p.Schedule, note)
}

func (b *Bot) reflectieStatus(ctx context.Context, req Request) Reply {
	st, err := b.sched.Reflection(ctx, destination(req), 3)
	if err != nil {
		return b.failed("reflection status", err)
	}
	sc := st.Schedule
	var sb strings.Builder
	if !sc.On {
		sb.WriteString(b.msg.T("reflectie.status_off"))
	} else {
		sb.WriteString(b.msg.T("reflectie.status_on", b.describe(st.Spec), sc.Spec) + "\n")
		sb.WriteString(b.msg.T("reflectie.on_holiday", b.msg.T(ruleKey(sc.Choices().Holidays))) + "\n")
		sb.WriteString(b.msg.T("reflectie.next") + "\n")
		for _, o := range st.Next {
			sb.WriteString("- " + b.occurrence(o, st.Spec.Location()) + "\n")
		}
	}
	if len(sc.Turn.Order) > 0 {
		sb.WriteString("\n" + b.msg.T("reflectie.rotation", sc.Turn.Round+1, sc.Turn.Pos, len(sc.Turn.Order), st.NextValue))
	}
	return Reply{Text: strings.TrimRight(sb.String(), "\n"), Ephemeral: true}
}

// errSpecZone is returned by splitSpecArgs when tz= and CRON_TZ= disagree.
var errSpecZone = errors.New("two different zones")

// splitSpecArgs takes the arguments of /reflectie aan apart: the spec, and
// the zone from tz=Zone or a CRON_TZ=/TZ= prefix ("" when none, "=" when
// the zone was left empty).
func splitSpecArgs(args string) (spec, zone string, err error) {
	var rest []string
	for _, f := range strings.Fields(args) {
		key, val, ok := strings.Cut(f, "=")
		switch k := strings.ToLower(key); {
		case ok && (k == "tz" || k == "cron_tz" || k == "zone"):
			if zone != "" && zone != val {
				return "", "", errSpecZone
			}
			zone = val
			if val == "" {
				zone = "="
			}
		default:
			rest = append(rest, f)
		}
	}
	return strings.Join(rest, " "), zone, nil
}
