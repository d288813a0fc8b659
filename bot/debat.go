package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/waardenbot/waardenbot/bot/wallclock"
	"github.com/waardenbot/waardenbot/knowledge"
)

// Limits of /debat.
const (
	debatMax     = 600 // bytes of arguments /debat reads
	topicMax     = 200 // runes of a debate topic
	prepDefault  = 3   // days between prep card and debate
	prepMaxDays  = 60
	prepHour     = 9 // the prep card comes at 09:00
	planAhead    = 2 * 365 * 24 * time.Hour
	plannedLimit = 25 // planned debates per channel
)

var (
	isoDate   = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
	dutchDate = regexp.MustCompile(`^(\d{1,2})-(\d{1,2})-(\d{4})$`)
	timeOfDay = regexp.MustCompile(`^(\d{1,2})[:.](\d{2})$`)
	prepDays  = regexp.MustCompile(`^(\d{1,3})\s*(d|dag|dagen)?$`)
)

// debat answers /debat DATUM [TIJD] ONDERWERP [voorbereiding=5d], /debat
// lijst and /debat annuleer ID.
func (b *Bot) debat(ctx context.Context, req Request) Reply {
	first, rest, _ := strings.Cut(req.Args, " ")
	switch strings.ToLower(first) {
	case "":
		return Reply{Text: b.msg.T("debat.usage"), Ephemeral: true}
	case "lijst", "list":
		return b.debatList(req)
	case "annuleer", "cancel":
		if !b.mayChange(ctx, req) {
			return b.refuse("sched.admins")
		}
		return b.debatCancel(req, rest)
	}
	if !b.mayChange(ctx, req) {
		return b.refuse("sched.admins")
	}
	return b.debatPlan(req)
}

// debatRequest is a parsed /debat DATUM [TIJD] ONDERWERP.
type debatRequest struct {
	at      time.Time // the debate, at the start of its day when no time was given
	hasTime bool
	topic   string
	days    int
}

// parseDebat reads the arguments of /debat in loc; a refusal comes back as
// a Reply.
func (b *Bot) parseDebat(args string, loc *time.Location) (debatRequest, *Reply) {
	refuse := func(key string, a ...any) (debatRequest, *Reply) {
		r := b.refuse(key, a...)
		return debatRequest{}, &r
	}
	d := debatRequest{days: prepDefault}
	var words []string
	for _, f := range strings.Fields(args) {
		key, val, ok := strings.Cut(f, "=")
		if ok && (strings.EqualFold(key, "voorbereiding") || strings.EqualFold(key, "prep")) {
			m := prepDays.FindStringSubmatch(strings.ToLower(val))
			n := 0
			if m != nil {
				n, _ = strconv.Atoi(m[1])
			}
			if m == nil || n > prepMaxDays {
				return refuse("debat.prep_bad", Quote(val, 20), prepMaxDays)
			}
			d.days = n
			continue
		}
		words = append(words, f)
	}
	if len(words) == 0 {
		return refuse("debat.usage")
	}
	var y, m, day int
	if g := isoDate.FindStringSubmatch(words[0]); g != nil {
		y, m, day = atoi(g[1]), atoi(g[2]), atoi(g[3])
	} else if g := dutchDate.FindStringSubmatch(words[0]); g != nil {
		y, m, day = atoi(g[3]), atoi(g[2]), atoi(g[1])
	} else {
		return refuse("debat.no_date", Quote(words[0], 30))
	}
	// The date is checked on its own, in UTC, which skips no day: a day
	// whose midnight a zone skips (America/Santiago) is still a day.
	wall := time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
	if wall.Year() != y || int(wall.Month()) != m || wall.Day() != day {
		return refuse("debat.bad_date", Quote(words[0], 30))
	}
	words = words[1:]
	if len(words) > 0 {
		if g := timeOfDay.FindStringSubmatch(words[0]); g != nil {
			h, mi := atoi(g[1]), atoi(g[2])
			if h > 23 || mi > 59 {
				return refuse("debat.bad_time", Quote(words[0], 10))
			}
			wall = wall.Add(time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute)
			d.hasTime = true
			words = words[1:]
		}
	}
	d.at = wallclock.Place(wall, loc)
	d.topic = strings.Join(words, " ")
	switch n := utf8.RuneCountInString(d.topic); {
	case n == 0:
		return refuse("debat.no_topic")
	case n > topicMax:
		return refuse("debat.topic_long", topicMax, n)
	}
	return d, nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// debatPlan plans a debate prep card. A prep moment that has passed while
// the debate is still to come gives the card at once, as the reply.
func (b *Bot) debatPlan(req Request) Reply {
	loc := b.cfg.Location
	d, refusal := b.parseDebat(req.Args, loc)
	if refusal != nil {
		return *refusal
	}
	now := b.now()
	switch {
	case !debateEnd(d.at, d.hasTime, loc).After(now):
		return b.refuse("debat.past", b.debateWhen(d.at, d.hasTime, loc))
	case d.at.Sub(now) > planAhead:
		return b.refuse("debat.far")
	}
	y, m, day := d.at.In(loc).Date()
	prepAt := wallclock.Place(time.Date(y, m, day-d.days, prepHour, 0, 0, 0, time.UTC), loc)
	if d.hasTime && !prepAt.Before(d.at) {
		return b.refuse("debat.prep_after", b.when(prepAt, loc))
	}
	st, err := b.sched.store()
	if err != nil {
		return b.failed("open schedule store", err)
	}
	dest := destinationOf(req)
	planned, err := b.debates(st, dest)
	if err != nil {
		return b.failed("list debates", err)
	}
	if n := countPlanned(planned); n >= plannedLimit {
		return b.refuse("debat.too_many", n)
	}
	num, err := st.NextNumber()
	if err != nil {
		return b.failed("number debate", err)
	}
	late := !prepAt.After(now)
	sc, err := st.UpdateSchedule(debateID(num), func(s *Schedule) error {
		*s = Schedule{
			ID: debateID(num), Kind: DebatePrep, To: dest, Version: 1, Created: now, By: who(req),
			Number: num, Topic: d.topic, DebateAt: d.at, HasTime: d.hasTime, PrepAt: prepAt, State: PrepPlanned,
		}
		if late {
			s.State, s.Last = PrepPosted, now
		}
		return nil
	})
	if err != nil {
		return b.failed("store debate", err)
	}
	b.log.Info("debate planned", "schedule", sc.ID, "debate_at", sc.DebateAt, "prep_at", sc.PrepAt, "by", sc.By, "prep_now", late)
	when := b.debateWhen(d.at, d.hasTime, loc)
	if late {
		card := b.prepCard(&sc, "")
		card.Text = b.msg.T("debat.prep_now", num, Quote(d.topic, topicMax), when, b.when(prepAt, loc)) + "\n\n" + card.Text
		return card
	}
	b.sched.changed(sc)
	return Reply{Text: b.msg.T("debat.planned", num, Quote(d.topic, topicMax), when, b.when(prepAt, loc), num)}
}

// debateEnd is when a debate counts as begun: its time, or the end of its
// day in loc when it has no time (a debate "today" is still to come all
// day, also on a day of 23 or 25 hours).
func debateEnd(at time.Time, hasTime bool, loc *time.Location) time.Time {
	if hasTime {
		return at
	}
	y, m, d := at.In(loc).Date()
	return wallclock.Place(time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC), loc)
}

// debateWhen writes the debate's moment, or its day when it has no time.
func (b *Bot) debateWhen(t time.Time, hasTime bool, loc *time.Location) string {
	if hasTime {
		return b.when(t, loc)
	}
	return b.date(t.In(loc))
}

// debates returns the debate preps of a channel, soonest debate first.
func (b *Bot) debates(st ScheduleStore, dest Destination) ([]Schedule, error) {
	all, err := st.Schedules(debatePrefix)
	if err != nil {
		return nil, err
	}
	out := slices.DeleteFunc(all, func(s Schedule) bool { return s.To != dest })
	slices.SortFunc(out, func(a, b Schedule) int { return cmp.Compare(a.DebateAt.Unix(), b.DebateAt.Unix()) })
	return out, nil
}

func countPlanned(ds []Schedule) int {
	n := 0
	for _, d := range ds {
		if d.State == PrepPlanned {
			n++
		}
	}
	return n
}

// debatList lists the channel's debates that are still to come.
func (b *Bot) debatList(req Request) Reply {
	st, err := b.sched.store()
	if err != nil {
		return b.failed("open schedule store", err)
	}
	ds, err := b.debates(st, destinationOf(req))
	if err != nil {
		return b.failed("list debates", err)
	}
	now, loc := b.now(), b.cfg.Location
	var sb strings.Builder
	for _, d := range ds {
		if d.State == PrepCancelled || !debateEnd(d.DebateAt, d.HasTime, loc).After(now) {
			continue
		}
		prep := b.msg.T("debat.state."+string(d.State), b.when(d.PrepAt, loc))
		sb.WriteString(b.msg.T("debat.item", d.Number, Quote(d.Topic, 80), b.debateWhen(d.DebateAt, d.HasTime, loc), prep) + "\n")
	}
	if sb.Len() == 0 {
		return Reply{Text: b.msg.T("debat.none"), Ephemeral: true}
	}
	return Reply{Text: b.msg.T("debat.list") + "\n" + strings.TrimRight(sb.String(), "\n"), Ephemeral: true}
}

// debatCancel cancels a planned debate prep of this channel.
func (b *Bot) debatCancel(req Request, arg string) Reply {
	num, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(arg), "#"), 10, 64)
	if err != nil || num == 0 {
		return b.refuse("debat.cancel_usage", Quote(arg, 20))
	}
	st, err := b.sched.store()
	if err != nil {
		return b.failed("open schedule store", err)
	}
	dest := destinationOf(req)
	errUnknown, errNotPlanned := errors.New("unknown"), errors.New("not planned")
	var state DebateState
	sc, err := st.UpdateSchedule(debateID(num), func(s *Schedule) error {
		if s.Kind != DebatePrep || s.To != dest {
			return errUnknown
		}
		if state = s.State; s.State != PrepPlanned {
			return errNotPlanned
		}
		s.State, s.By = PrepCancelled, who(req)
		s.Version++
		return nil
	})
	switch {
	case errors.Is(err, errUnknown):
		return b.refuse("debat.unknown", num)
	case errors.Is(err, errNotPlanned):
		return b.refuse("debat.not_planned", num, b.msg.T("debat.word."+string(state)))
	case err != nil:
		return b.failed("cancel debate", err)
	}
	b.sched.changed(sc)
	b.log.Info("debate cancelled", "schedule", sc.ID, "by", sc.By)
	return Reply{Text: b.msg.T("debat.cancelled", num, Quote(sc.Topic, 80))}
}

// prepCard renders the prep card of a debate: the topic, the questions of
// the cards that match it, the values most likely at stake, and three
// prompts to prepare positions. note, if any, goes before the source.
func (b *Bot) prepCard(sc *Schedule, note string) Reply {
	loc := b.cfg.Location
	var sb strings.Builder
	sb.WriteString(b.msg.T("prep.title", Quote(sc.Topic, topicMax)) + "\n")
	sb.WriteString(b.msg.T("prep.when", b.debateWhen(sc.DebateAt, sc.HasTime, loc)) + "\n\n")
	var qs []knowledge.Hit
	opinion := map[*knowledge.Value]string{} // the opinion of a value that matches the topic best
	for _, h := range b.kb.Search(sc.Topic, 40) {
		switch {
		case h.Theme != nil && len(qs) < 5:
			qs = append(qs, h)
		case h.Value != nil && opinion[h.Value] == "":
			opinion[h.Value] = h.Text
		}
	}
	if len(qs) == 0 {
		sb.WriteString(b.msg.T("prep.no_questions") + "\n\n")
	} else {
		sb.WriteString(b.msg.T("prep.questions") + "\n")
		for _, h := range qs {
			sb.WriteString(b.msg.T("hit.question", h.Text, h.Theme.Name, h.Theme.Card().Name, h.Theme.Group.Name) + "\n")
		}
		sb.WriteString("\n")
	}
	if vs := b.kb.AtStake(sc.Topic, 3); len(vs) == 0 {
		sb.WriteString(b.msg.T("prep.no_values") + "\n\n")
	} else {
		sb.WriteString(b.msg.T("prep.values", b.msg.T("own")) + "\n")
		for _, v := range vs {
			op := opinion[v]
			if op == "" && len(v.Opinions) > 0 {
				op = v.Opinions[0]
			}
			fmt.Fprintf(&sb, "- **%s** (%s): “%s”\n", v.Name, v.Cluster.Name, op)
		}
		sb.WriteString("\n")
	}
	sb.WriteString(b.msg.T("prep.prompts") + "\n")
	for i := 1; i <= 3; i++ {
		fmt.Fprintf(&sb, "%d. %s\n", i, b.msg.T("prep.prompt."+strconv.Itoa(i)))
	}
	if note != "" {
		sb.WriteString("\n" + note)
	}
	text := strings.TrimRight(sb.String(), "\n")
	sb.Reset()
	sb.WriteString(text)
	return Reply{Text: b.cite(&sb), Thread: true}
}
