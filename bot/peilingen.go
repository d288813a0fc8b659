package bot

import (
	"context"
	"fmt"
	"strings"
)

// peilingen answers /peilingen: the open polls of this channel.
func (b *Bot) peilingen(ctx context.Context, req Request) Reply {
	if b.polls == nil {
		return b.noPolls()
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
