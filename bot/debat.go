package bot

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/waardenbot/waardenbot/bot/calendar"
	"github.com/waardenbot/waardenbot/bot/schedule"
	"github.com/waardenbot/waardenbot/bot/wallclock"
	"github.com/waardenbot/waardenbot/knowledge"
)

// Limits of /debat.
const (
	debatMax = 600 // bytes of arguments /debat reads
	topicMax = 200 // runes of a debate topic
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
		return b.debatList(ctx, req)
	case "annuleer", "cancel":
		if !b.mayChange(ctx, req) {
			return b.refuse("sched.admins")
		}
		return b.debatCancel(ctx, req, rest)
	}
	if !b.mayChange(ctx, req) {
		return b.refuse("sched.admins")
	}
	return b.debatPlan(ctx, req)
}

// parseDebat reads the arguments of /debat in loc; a refusal comes back as
// a Reply.
func (b *Bot) parseDebat(args string, loc *time.Location) (schedule.Debate, *Reply) {
	refuse := func(key string, a ...any) (schedule.Debate, *Reply) {
		r := b.refuse(key, a...)
		return schedule.Debate{}, &r
	}
	d := schedule.Debate{PrepDays: schedule.DefaultPrepDays}
	var words []string
	for _, f := range strings.Fields(args) {
		key, val, ok := strings.Cut(f, "=")
		if ok && (strings.EqualFold(key, "voorbereiding") || strings.EqualFold(key, "prep")) {
			m := prepDays.FindStringSubmatch(strings.ToLower(val))
			n := 0
			if m != nil {
				n, _ = strconv.Atoi(m[1])
			}
			if m == nil || n > schedule.MaxPrepDays {
				return refuse("debat.prep_bad", Quote(val, 20), schedule.MaxPrepDays)
			}
			d.PrepDays = n
			continue
		}
		words = append(words, f)
	}
	if len(words) == 0 {
		return refuse("debat.usage")
	}
	day, err := parseDay(words[0])
	switch {
	case errors.Is(err, errNoDate):
		return refuse("debat.no_date", Quote(words[0], 30))
	case err != nil:
		return refuse("debat.bad_date", Quote(words[0], 30))
	}
	wall := day.At(0, 0)
	words = words[1:]
	if len(words) > 0 {
		if g := timeOfDay.FindStringSubmatch(words[0]); g != nil {
			h, mi := atoi(g[1]), atoi(g[2])
			if h > 23 || mi > 59 {
				return refuse("debat.bad_time", Quote(words[0], 10))
			}
			wall = wall.Add(time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute)
			d.HasTime = true
			words = words[1:]
		}
	}
	d.At = wallclock.Place(wall, loc)
	d.Topic = strings.Join(words, " ")
	switch n := utf8.RuneCountInString(d.Topic); {
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

// Errors of parseDay.
var (
	errNoDate  = errors.New("not a date")
	errBadDate = errors.New("no such date")
)

// parseDay reads a date as users type it for /debat and /reflectie pauze:
// JJJJ-MM-DD or DD-MM-JJJJ. errNoDate: it is not written as a date;
// errBadDate: the date does not exist (2026-02-30). The date is checked on
// its own, without a zone: a day whose midnight a zone skips
// (America/Santiago) is still a day.
func parseDay(word string) (calendar.Date, error) {
	var y, m, d int
	if g := isoDate.FindStringSubmatch(word); g != nil {
		y, m, d = atoi(g[1]), atoi(g[2]), atoi(g[3])
	} else if g := dutchDate.FindStringSubmatch(word); g != nil {
		y, m, d = atoi(g[3]), atoi(g[2]), atoi(g[1])
	} else {
		return calendar.Date{}, errNoDate
	}
	day, ok := calendar.NewDate(y, time.Month(m), d)
	if !ok {
		return calendar.Date{}, errBadDate
	}
	return day, nil
}

// debatPlan plans a debate prep card. A prep moment that has passed while
// the debate is still to come gives the card at once, as the reply.
func (b *Bot) debatPlan(ctx context.Context, req Request) Reply {
	loc := b.cfg.Location
	d, refusal := b.parseDebat(req.Args, loc)
	if refusal != nil {
		return *refusal
	}
	sc, err := b.sched.PlanDebate(ctx, destination(req), who(req), d)
	var tooMany *schedule.TooManyDebatesError
	switch {
	case errors.Is(err, schedule.ErrDebatePast):
		return b.refuse("debat.past", b.debateWhen(d.At, d.HasTime, loc))
	case errors.Is(err, schedule.ErrDebateTooFar):
		return b.refuse("debat.far")
	case errors.Is(err, schedule.ErrPrepAfterDebate):
		return b.refuse("debat.prep_after", b.when(d.PrepAt(loc), loc))
	case errors.As(err, &tooMany):
		return b.refuse("debat.too_many", tooMany.Planned)
	case err != nil:
		return b.failed("plan debate", err)
	}
	when := b.debateWhen(sc.DebateAt, sc.HasTime, loc)
	prepAt := b.when(sc.PrepAt, loc) + b.prepMoved(sc)
	if sc.State == schedule.PrepPosted {
		card := b.prepCard(sc, "")
		card.Text = b.msg.T("debat.prep_now", sc.Number, Quote(sc.Topic, topicMax), when, prepAt) + "\n\n" + card.Text
		return card
	}
	return Reply{Text: b.msg.T("debat.planned", sc.Number, Quote(sc.Topic, topicMax), when, prepAt, sc.Number)}
}

// debateWhen writes the debate's moment, or its day when it has no time.
func (b *Bot) debateWhen(t time.Time, hasTime bool, loc *time.Location) string {
	if hasTime {
		return b.when(t, loc)
	}
	return b.date(t.In(loc))
}

// debatList lists the channel's debates that are still to come.
func (b *Bot) debatList(ctx context.Context, req Request) Reply {
	ds, err := b.sched.ComingDebates(ctx, destination(req))
	if err != nil {
		return b.failed("list debates", err)
	}
	loc := b.cfg.Location
	var sb strings.Builder
	for _, d := range ds {
		prep := b.msg.T("debat.state."+string(d.State), b.when(d.PrepAt, loc)+b.prepMoved(d))
		sb.WriteString(b.msg.T("debat.item", d.Number, Quote(d.Topic, 80), b.debateWhen(d.DebateAt, d.HasTime, loc), prep) + "\n")
	}
	if sb.Len() == 0 {
		return Reply{Text: b.msg.T("debat.none"), Ephemeral: true}
	}
	return Reply{Text: b.msg.T("debat.list") + "\n" + strings.TrimRight(sb.String(), "\n"), Ephemeral: true}
}

// debatCancel cancels a planned debate prep of this channel.
func (b *Bot) debatCancel(ctx context.Context, req Request, arg string) Reply {
	num, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(arg), "#"), 10, 64)
	if err != nil || num == 0 {
		return b.refuse("debat.cancel_usage", Quote(arg, 20))
	}
	sc, err := b.sched.CancelDebate(ctx, destination(req), who(req), num)
	var notPlanned *schedule.NotPlannedError
	switch {
	case errors.Is(err, schedule.ErrUnknownDebate):
		return b.refuse("debat.unknown", num)
	case errors.As(err, &notPlanned):
		return b.refuse("debat.not_planned", num, b.msg.T("debat.word."+string(notPlanned.State)))
	case err != nil:
		return b.failed("cancel debate", err)
	}
	return Reply{Text: b.msg.T("debat.cancelled", num, Quote(sc.Topic, 80))}
}

// prepCard renders the prep card of a debate: the topic, the questions of
// the cards that match it, the values most likely at stake, and three
// prompts to prepare positions. note, if any, goes before the source.
func (b *Bot) prepCard(sc schedule.Schedule, note string) Reply {
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
