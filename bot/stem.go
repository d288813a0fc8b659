package bot

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
)

// stem answers /stem ID choice, choice, …: the voter's vote replaces any
// earlier one; /stem ID alone withdraws it. A refused vote leaves the
// earlier vote as it was.
func (b *Bot) stem(ctx context.Context, req Request) Reply {
	if b.polls == nil {
		return b.noPolls()
	}
	id, input, _ := strings.Cut(req.Args, " ")
	id, input = normalizeID(id), strings.TrimSpace(input)
	if id == "" {
		return b.refuse("vote.usage")
	}
	now := b.now()
	return b.vote(ctx, req, id, func(p Poll, prev Vote) (Vote, error) {
		if err := b.canVote(p, req); err != nil {
			return prev, err
		}
		if input == "" {
			if len(prev.Choices) == 0 {
				return prev, errSameVote
			}
			return Vote{At: now}, nil
		}
		keys, unknown := b.choices(p, input)
		switch {
		case unknown != "":
			return prev, &refusal{err: ErrUnknownOption, key: "vote.unknown", args: []any{Quote(unknown, 40), p.ID}}
		case len(keys) > p.Max:
			return prev, &refusal{err: ErrTooManyChoices, key: "vote.too_many", args: []any{len(keys), p.Max}}
		}
		if slices.Equal(keys, prev.Choices) { // both in the poll's order
			return prev, errSameVote
		}
		return Vote{Choices: keys, At: now}, nil
	})
}

// errSameVote is what a Change returns for a vote that is the same as the
// one that counts already: the store then writes nothing, and the voter is
// answered as for a counted vote, with Reply.Changed false.
var errSameVote = errors.New("the same vote as before")

// Toggle is a click on an option's button: it adds the option to the
// user's vote, or takes it out when it is in already. In a poll where one
// may pick only one option, a click on another option moves the vote there.
// It refuses an option beyond the poll's maximum, as /stem does. The reply
// carries the updated poll for the adapter to redraw.
func (b *Bot) Toggle(ctx context.Context, req Request, pollID, optionKey string) Reply {
	if b.polls == nil {
		return b.noPolls()
	}
	now := b.now()
	return b.vote(ctx, req, normalizeID(pollID), func(p Poll, prev Vote) (Vote, error) {
		if err := b.canVote(p, req); err != nil {
			return prev, err
		}
		if _, ok := p.option(optionKey); !ok {
			return prev, &refusal{err: ErrUnknownOption, key: "vote.unknown", args: []any{Quote(optionKey, 40), p.ID}}
		}
		chosen := map[string]bool{}
		for _, k := range prev.Choices {
			chosen[k] = true
		}
		switch {
		case chosen[optionKey]:
			delete(chosen, optionKey)
		case p.Max == 1:
			chosen = map[string]bool{optionKey: true}
		case len(chosen) >= p.Max:
			return prev, &refusal{err: ErrTooManyChoices, key: "vote.too_many", args: []any{len(chosen) + 1, p.Max}}
		default:
			chosen[optionKey] = true
		}
		next := Vote{At: now}
		for _, o := range p.Options {
			if chosen[o.Key] {
				next.Choices = append(next.Choices, o.Key)
			}
		}
		return next, nil
	})
}

// canVote refuses a vote in a closed poll or from another channel.
func (b *Bot) canVote(p Poll, req Request) error {
	switch {
	case p.Where != destination(req):
		return &refusal{err: ErrOtherChannel, key: "poll.other_channel", args: []any{p.ID}}
	case p.isClosed(b.now()):
		return &refusal{err: ErrPollClosed, key: "vote.closed", args: []any{p.ID, p.ID}}
	}
	return nil
}

// vote applies change to the user's vote in poll id and answers with what
// now counts.
func (b *Bot) vote(ctx context.Context, req Request, id string, change Change) Reply {
	// Whether the poll is anonymous is known only inside the store's
	// transaction; both keys are made here so that the function the store
	// calls stays free of side effects.
	plain, err := b.personKey(ctx, Poll{}, req, "voter")
	if err != nil {
		return b.internal("vote", err)
	}
	hashed, err := b.personKey(ctx, Poll{ID: id, Anon: true}, req, "voter")
	if err != nil {
		return b.internal("vote", err)
	}
	voter := func(p Poll) string {
		if p.Anon {
			return hashed
		}
		return plain
	}
	p, t, v, err := b.polls.Vote(ctx, id, voter, change)
	changed := err == nil
	switch {
	case errors.Is(err, errSameVote):
		// Answered as a counted vote; nothing changed.
	case errors.Is(err, ErrPollNotFound):
		return b.refuse("poll.not_found", Quote(id, 10))
	case err != nil:
		var r *refusal
		if !errors.As(err, &r) {
			return b.internal("vote", err)
		}
		var view *PollView
		if !errors.Is(err, ErrOtherChannel) {
			view = b.view(p, t, false)
		}
		reply := b.refusal(err, view)
		if !errors.Is(err, ErrOtherChannel) {
			reply.Text += "\n" + b.yourVote(p, v)
		}
		return reply
	}
	var sb strings.Builder
	if len(v.Choices) == 0 {
		sb.WriteString(b.msg.T("vote.withdrawn", p.ID))
	} else {
		sb.WriteString(b.msg.T("vote.counted", p.ID, b.labels(p, v.Choices)))
	}
	if countsShown(p, b.now()) {
		sb.WriteString("\n" + b.standing(p, t))
	} else {
		sb.WriteString("\n" + b.msg.T("poll.voters", t.Voters) + " " + b.msg.T("poll.hidden"))
	}
	return Reply{Text: sb.String(), Ephemeral: true, Poll: b.view(p, t, false), Changed: changed}
}

// yourVote says which vote still counts after a refusal.
func (b *Bot) yourVote(p Poll, v Vote) string {
	if len(v.Choices) == 0 {
		return b.msg.T("vote.none")
	}
	return b.msg.T("vote.kept", b.labels(p, v.Choices))
}

func (b *Bot) labels(p Poll, keys []string) string {
	var names []string
	for _, o := range p.Options {
		if slices.Contains(keys, o.Key) {
			names = append(names, Escape(o.Label))
		}
	}
	return joinBold(names)
}

// standing is the counts in one line: "Stand: Privacy 3 · Gelijkheid 1 (4
// mensen)".
func (b *Bot) standing(p Poll, t Tally) string {
	var parts []string
	for _, o := range p.Options {
		parts = append(parts, Escape(o.Label)+" "+strconv.Itoa(t.Votes[o.Key]))
	}
	return b.msg.T("vote.standing", strings.Join(parts, " · "), t.Voters)
}
