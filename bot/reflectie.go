package bot

import (
	"context"
	"errors"
	"strings"
	"time"
)

// reflectie answers /reflectie aan|status|uit|nu: the channel's recurring
// reflection prompt.
func (b *Bot) reflectie(ctx context.Context, req Request) Reply {
	sub, rest, _ := strings.Cut(req.Args, " ")
	switch strings.ToLower(sub) {
	case "", "status":
		return b.reflectieStatus(req)
	case "aan", "on":
		if !b.mayChange(ctx, req) {
			return b.refuse("sched.admins")
		}
		return b.reflectieOn(req, rest)
	case "uit", "off":
		if !b.mayChange(ctx, req) {
			return b.refuse("sched.admins")
		}
		return b.reflectieOff(req)
	case "nu", "now":
		if !b.mayChange(ctx, req) {
			return b.refuse("sched.admins")
		}
		return b.reflectieNow(req)
	}
	return b.refuse("reflectie.usage", Quote(sub, 30))
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
	if errors.Is(err, errNoStore) {
		return b.refuse("sched.no_store")
	}
	b.log.Error(what, "err", err)
	return b.refuse("err.internal")
}

func (b *Bot) reflectieOn(req Request, args string) Reply {
	specText, zoneName, err := splitSpecArgs(args)
	if err != nil {
		return b.refuse("reflectie.two_zones")
	}
	loc := b.cfg.Location
	if zoneName != "" {
		l, ok := loadZone(zoneName)
		if !ok {
			return b.refuse("reflectie.zone", Quote(strings.TrimPrefix(zoneName, "="), 40))
		}
		loc = l
	}
	now := b.now()
	cs, err := parseSpec(specText, loc, now)
	if err != nil {
		var se *specError
		if errors.As(err, &se) {
			return b.refuseSpec(se)
		}
		return b.failed("parse spec", err)
	}
	st, err := b.sched.store()
	if err != nil {
		return b.failed("open schedule store", err)
	}
	dest := destinationOf(req)
	sc, err := st.UpdateSchedule(reflectionID(dest), func(s *Schedule) error {
		s.Kind, s.To, s.By = Reflection, dest, who(req)
		if s.Created.IsZero() {
			s.Created = now
		}
		if (s.Spec != cs.text || s.Zone != loc.String()) && s.Last.After(now) {
			// A prompt given with /reflectie nu stood in for a run of the
			// old schedule, not of this one.
			s.Last = now
		}
		s.On, s.Spec, s.Zone, s.Since = true, cs.text, loc.String(), now
		s.Version++
		return nil
	})
	if err != nil {
		return b.failed("store reflection schedule", err)
	}
	b.sched.changed(sc)
	b.log.Info("reflection schedule on", "schedule", sc.ID, "spec", sc.Spec, "zone", sc.Zone, "by", sc.By)
	next := cs.next(later(now, sc.Last))
	return Reply{Text: b.msg.T("reflectie.on", b.describe(cs), b.when(next, loc))}
}

// refuseSpec explains a refused spec and shows one that works.
func (b *Bot) refuseSpec(se *specError) Reply {
	r := b.refuse(se.Key, se.Args...)
	r.Text += "\n" + b.msg.T("spec.example")
	return r
}

func (b *Bot) reflectieOff(req Request) Reply {
	st, err := b.sched.store()
	if err != nil {
		return b.failed("open schedule store", err)
	}
	errWasOff := errors.New("was off")
	sc, err := st.UpdateSchedule(reflectionID(destinationOf(req)), func(s *Schedule) error {
		if s.Kind != Reflection || !s.On {
			return errWasOff
		}
		s.On, s.By = false, who(req)
		s.Version++
		return nil
	})
	switch {
	case errors.Is(err, errWasOff):
		return Reply{Text: b.msg.T("reflectie.was_off"), Ephemeral: true}
	case err != nil:
		return b.failed("store reflection schedule", err)
	}
	b.sched.changed(sc)
	b.log.Info("reflection schedule off", "schedule", sc.ID, "by", sc.By)
	return Reply{Text: b.msg.T("reflectie.off")}
}

// reflectieNow posts the next prompt of the rotation as the reply. When the
// schedule is on, it takes the place of the next scheduled prompt: it claims
// that run, so the scheduler will not post it.
func (b *Bot) reflectieNow(req Request) Reply {
	st, err := b.sched.store()
	if err != nil {
		return b.failed("open schedule store", err)
	}
	dest := destinationOf(req)
	id := reflectionID(dest)
	now := b.now()
	sc, ok, err := st.Schedule(id)
	if err != nil {
		return b.failed("read reflection schedule", err)
	}
	at, loc := now.Truncate(time.Minute), b.cfg.Location
	var cs cronSpec
	on := ok && sc.On
	if on {
		if cs, err = b.sched.spec(sc.Spec, sc.Zone); err != nil {
			return b.failed("parse stored spec", err)
		}
		// The next scheduled run from now: when /reflectie nu already
		// claimed it, the claim below refuses a second one.
		if next := cs.next(now); !next.IsZero() {
			at, loc = next, cs.loc
		} else {
			on = false
		}
	}
	var reply Reply
	sc, err = st.ClaimRun(id, at, func(s *Schedule) error {
		if s.Kind == "" {
			s.Kind, s.To, s.Created, s.By = Reflection, dest, now, who(req)
		}
		note := b.msg.T("reflectie.now_off")
		if on && s.On {
			s.Last = later(s.Last, at)
			note = b.msg.T("reflectie.now_counts", b.when(at, loc))
		}
		reply = b.reflectionPrompt(s, note)
		return nil
	})
	switch {
	case errors.Is(err, ErrRunClaimed) && on:
		return b.refuse("reflectie.now_done", b.when(cs.next(at), loc))
	case errors.Is(err, ErrRunClaimed):
		return b.refuse("reflectie.now_again")
	case err != nil:
		return b.failed("claim reflection run", err)
	}
	if err := st.FinishRun(id, at, RunPosted); err != nil {
		b.log.Error("record run outcome", "schedule", id, "err", err)
	}
	b.log.Info("reflection prompt on request", "schedule", id, "counts_for", at, "by", who(req))
	return reply
}

func (b *Bot) reflectieStatus(req Request) Reply {
	st, err := b.sched.store()
	if err != nil {
		return b.failed("open schedule store", err)
	}
	sc, ok, err := st.Schedule(reflectionID(destinationOf(req)))
	if err != nil {
		return b.failed("read reflection schedule", err)
	}
	var sb strings.Builder
	if !ok || !sc.On {
		sb.WriteString(b.msg.T("reflectie.status_off"))
	} else {
		cs, err := b.sched.spec(sc.Spec, sc.Zone)
		if err != nil {
			return b.failed("parse stored spec", err)
		}
		sb.WriteString(b.msg.T("reflectie.status_on", b.describe(cs), sc.Spec) + "\n")
		sb.WriteString(b.msg.T("reflectie.next") + "\n")
		for _, t := range cs.upcoming(later(b.now(), sc.Last), 3) {
			sb.WriteString("- " + b.when(t, cs.loc) + "\n")
		}
	}
	if ok && len(sc.Turn.Order) > 0 {
		peek := sc
		v := b.nextValue(&peek)
		name := ""
		if v != nil {
			name = v.Name
		}
		sb.WriteString("\n" + b.msg.T("reflectie.rotation", sc.Turn.Round+1, sc.Turn.Pos, len(sc.Turn.Order), name))
	}
	return Reply{Text: strings.TrimRight(sb.String(), "\n"), Ephemeral: true}
}
