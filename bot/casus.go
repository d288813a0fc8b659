package bot

import (
	"context"
	"errors"
	"strings"
)

// casusArgsMax is the longest /casus or /stelling the router passes on. It
// is well above casusMax (runes, up to four bytes each, plus settings and
// values) so that an overlong casus gets the answer that names casusMax.
const casusArgsMax = 64 << 10

// casus answers /casus [settings] TEXT [| value, value, …]: it posts the
// casus as a poll on the values at stake.
func (b *Bot) casus(ctx context.Context, req Request) Reply {
	if b.polls == nil {
		return b.noPolls()
	}
	now := b.now()
	set, rest, err := b.parseSettings(req.Args, now)
	if err != nil {
		return b.refusal(err, nil)
	}
	text, list, hasList := cutLast(rest, "|")
	if err := checkText(text); err != nil {
		return b.refusal(err, nil)
	}
	p := Poll{Kind: ValuePoll, Max: defaultMax}
	if hasList {
		p.Options = b.valueOptions(list)
	} else {
		p.Options, p.Proposed = b.proposedOptions(text), true
	}
	switch n := len(p.Options); {
	case n < minOptions && p.Proposed:
		return b.refuse("poll.none_proposed", minOptions)
	case n < minOptions:
		return b.refuse("poll.few_options", n, minOptions)
	case n > maxOptions:
		return b.refuse("poll.many_options", n, maxOptions)
	}
	if set.max > 0 {
		p.Max = set.max
	}
	return b.startPoll(ctx, req, p, text, set)
}

// startPoll stores a new poll and posts it in the channel.
func (b *Bot) startPoll(ctx context.Context, req Request, p Poll, text string, set pollSettings) Reply {
	p.Where = destination(req)
	p.Question = text
	p.Anon, p.Hidden, p.ClosesAt = set.anon, set.hidden, set.closesAt
	p.Created = b.now()
	if !p.Anon {
		p.Name = firstNonEmpty(req.UserName, req.User)
	}
	if err := b.createPoll(ctx, &p, req); err != nil {
		return b.internal("create poll", err)
	}
	t := Tally{Votes: map[string]int{}}
	return Reply{Text: b.pollText(p, t), Poll: b.view(p, t, false), NewPoll: true}
}

// cutLast splits s at the last sep: a casus may contain the separator, the
// list of values does not.
func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return strings.TrimSpace(s), "", false
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len(sep):]), true
}

func destination(req Request) Destination {
	return Destination{Platform: req.Platform, Team: req.Team, Channel: req.Channel}
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// noPolls is the answer to a poll command when no store is configured.
func (b *Bot) noPolls() Reply { return b.refuse("poll.unavailable") }

// refusal turns an error from parsing or voting into the sentence for the
// user. With a poll view it shows the poll as it stands.
func (b *Bot) refusal(err error, v *PollView) Reply {
	var r *refusal
	if errors.As(err, &r) {
		reply := b.refuse(r.key, r.args...)
		reply.Poll = v
		return reply
	}
	return b.internal("poll", err)
}

// internal answers a failure on the bot's side: the user gets a sentence,
// the log the error.
func (b *Bot) internal(what string, err error) Reply {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		b.log.Info(what+" cancelled", "err", err)
	} else {
		b.log.Error(what, "err", err)
	}
	return Reply{Text: b.msg.T("err.internal"), Ephemeral: true, Status: Refused}
}
