package bot

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// stem answers /stem ID choice, choice, …: the voter's vote replaces any
// earlier one; /stem ID alone withdraws it. A refused vote leaves the
// earlier vote as it was.
func (b *Bot) stem(ctx context.Context, req Request) Reply {
	if b.polls == nil {
		return b.noPolls()
	}
	id, input, _ := strings.Cut(req.Args, " ")
	if poll.NormalizeID(id) == "" {
		return b.refuse("vote.usage")
	}
	ballot, err := b.polls.Vote(ctx, person(req), id, strings.TrimSpace(input))
	return b.voted(ballot, err)
}

// Toggle is a click on an option's button: it adds the option to the
// user's vote, or takes it out when it is in already. In a poll where one
// may pick only one option, a click on another option moves the vote there.
// It refuses an option beyond the poll's maximum, as /stem does. The reply
// carries the updated poll for the adapter to redraw.
func (b *Bot) Toggle(ctx context.Context, req Request, pollID, optionKey string) Reply {
	if b.polls == nil {
		return b.noPolls()
	}
	ballot, err := b.polls.Toggle(ctx, person(req), pollID, optionKey)
	return b.voted(ballot, err)
}

// voted answers a vote with what now counts, or why it was refused and
// which vote still counts.
func (b *Bot) voted(ballot poll.Ballot, err error) Reply {
	p, t, v := ballot.Poll, ballot.Tally, ballot.Vote
	if err != nil {
		var r *poll.Refusal
		if !errors.As(err, &r) || errors.Is(err, poll.ErrNotFound) || errors.Is(err, poll.ErrOtherChannel) {
			return b.pollRefusal("vote", err, nil)
		}
		reply := b.pollRefusal("vote", err, b.view(p, t, false))
		reply.Text += "\n" + b.yourVote(p, v)
		return reply
	}
	var sb strings.Builder
	if len(v.Choices) == 0 {
		sb.WriteString(b.msg.T("vote.withdrawn", p.ID))
	} else {
		sb.WriteString(b.msg.T("vote.counted", p.ID, b.labels(p, v.Choices)))
	}
	if p.CountsShown(b.now()) {
		sb.WriteString("\n" + b.standing(p, t))
	} else {
		sb.WriteString("\n" + b.msg.T("poll.voters", t.Voters) + " " + b.msg.T("poll.hidden"))
	}
	return Reply{Text: sb.String(), Ephemeral: true, Poll: b.view(p, t, false), Changed: ballot.Changed}
}

// yourVote says which vote still counts after a refusal.
func (b *Bot) yourVote(p poll.Poll, v poll.Vote) string {
	if len(v.Choices) == 0 {
		return b.msg.T("vote.none")
	}
	return b.msg.T("vote.kept", b.labels(p, v.Choices))
}

func (b *Bot) labels(p poll.Poll, keys []string) string {
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
func (b *Bot) standing(p poll.Poll, t poll.Tally) string {
	var parts []string
	for _, o := range p.Options {
		parts = append(parts, Escape(o.Label)+" "+strconv.Itoa(t.Votes[o.Key]))
	}
	return b.msg.T("vote.standing", strings.Join(parts, " · "), t.Voters)
}
