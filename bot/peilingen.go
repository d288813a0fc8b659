package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// peilingen answers /peilingen: the open polls of this channel; with csv,
// every poll of the channel, open and closed, in one CSV file, only for
// the asker as the list is.
func (b *Bot) peilingen(ctx context.Context, req Request) Reply {
	if b.polls == nil {
		return b.noPolls()
	}
	switch word := strings.ToLower(strings.TrimSpace(req.Args)); word {
	case "":
	case "csv":
		return b.channelCSV(ctx, req)
	default:
		return b.refuse("export.list_usage", Quote(word, 20))
	}
	polls, err := b.polls.Open(ctx, destination(req))
	if err != nil {
		return b.internal("list polls", err)
	}
	if len(polls) == 0 {
		return Reply{Text: b.msg.T("list.none"), Ephemeral: true}
	}
	var sb strings.Builder
	for _, p := range polls {
		fmt.Fprintf(&sb, "- `%s` %s: %s", p.ID, b.msg.T("list.kind."+string(p.Kind)), Quote(p.Question, 80))
		if !p.ClosesAt.IsZero() {
			sb.WriteString(" " + b.msg.T("list.closes", b.formatTime(p.ClosesAt)))
		}
		sb.WriteString("\n")
	}
	return Reply{Text: b.msg.T("list.title", len(polls)) + "\n" + sb.String() + "\n" + b.msg.T("list.tip"), Ephemeral: true}
}

// channelCSV answers /peilingen csv.
func (b *Bot) channelCSV(ctx context.Context, req Request) Reply {
	where := destination(req)
	f, n, err := b.channelFile(ctx, req.Channel, func(p poll.Poll) bool { return p.Where == where }, b.members(ctx, req))
	switch {
	case err != nil:
		return b.internal("export the polls of a channel", err)
	case f == nil:
		return Reply{Text: b.msg.T("export.channel_none"), Ephemeral: true}
	}
	return Reply{Text: b.msg.T("export.reply.channel", n, f.Name), Files: []File{*f}, Ephemeral: true}
}
