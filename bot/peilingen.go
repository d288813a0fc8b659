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
	polls, err := b.polls.OpenPolls(ctx, destination(req))
	if err != nil {
		return b.internal("list polls", err)
	}
	now := b.now()
	var sb strings.Builder
	n := 0
	for _, p := range polls {
		if p.isClosed(now) {
			continue
		}
		n++
		fmt.Fprintf(&sb, "- `%s` %s: %s", p.ID, b.msg.T("list.kind."+string(p.Kind)), Quote(p.Question, 80))
		if !p.ClosesAt.IsZero() {
			sb.WriteString(" " + b.msg.T("list.closes", b.formatTime(p.ClosesAt)))
		}
		sb.WriteString("\n")
	}
	if n == 0 {
		return Reply{Text: b.msg.T("list.none"), Ephemeral: true}
	}
	return Reply{Text: b.msg.T("list.title", n) + "\n" + sb.String() + "\n" + b.msg.T("list.tip"), Ephemeral: true}
}
