package slack

import (
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/waardenbot/waardenbot/bot"
)

// Slack's limits for a message (Block Kit reference).
const (
	maxBlocks      = 50    // blocks in one message
	maxSectionText = 3000  // characters in a section block's text
	maxMessageText = 40000 // characters in a message's top-level text
	maxFallback    = 3000  // our own cap on the notification text
)

// mrkdwn converts the bot's neutral Markdown to Slack's mrkdwn: **bold**
// becomes *bold*, a backslash escape becomes the character behind an
// invisible zero-width space (Slack has no escapes, but formatting needs a
// boundary before the marker), and &, < and > are HTML-escaped as Slack
// requires, except the > that starts a quote line. With < escaped, no
// <!channel> or <@user> can be formed from user text.
func mrkdwn(s string) string {
	var sb strings.Builder
	sb.Grow(len(s) + len(s)/8)
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			sb.WriteByte('\n')
		}
		if rest, ok := strings.CutPrefix(line, "> "); ok {
			sb.WriteString("> ")
			line = rest
		}
		for j := 0; j < len(line); {
			// Copy the run up to the next character that needs work.
			k := strings.IndexAny(line[j:], `\*&<>`)
			if k < 0 {
				sb.WriteString(line[j:])
				break
			}
			sb.WriteString(line[j : j+k])
			j += k
			switch {
			case line[j] == '\\' && j+1 < len(line):
				r, size := utf8.DecodeRuneInString(line[j+1:])
				sb.WriteString("\u200b")
				writeEscaped(&sb, r)
				j += 1 + size
			case strings.HasPrefix(line[j:], "**"):
				sb.WriteByte('*')
				j += 2
			default:
				writeEscaped(&sb, rune(line[j]))
				j++
			}
		}
	}
	return sb.String()
}

func writeEscaped(sb *strings.Builder, r rune) {
	switch r {
	case '&':
		sb.WriteString("&amp;")
	case '<':
		sb.WriteString("&lt;")
	case '>':
		sb.WriteString("&gt;")
	default:
		sb.WriteRune(r)
	}
}

// textBlocks splits mrkdwn text into section blocks within Slack's limits:
// at paragraph breaks where possible, else at line breaks, else hard. A text
// longer than 50 full sections is cut with a note at the end.
func textBlocks(text string) []slack.Block {
	var blocks []slack.Block
	for _, chunk := range chunks(text, maxSectionText) {
		if len(blocks) == maxBlocks-1 {
			blocks = append(blocks, section("…"))
			break
		}
		blocks = append(blocks, section(chunk))
	}
	return blocks
}

func section(text string) *slack.SectionBlock {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil)
}

// chunks cuts s into pieces of at most max runes, preferring to cut after a
// blank line, then after a newline.
func chunks(s string, max int) []string {
	var out []string
	for utf8.RuneCountInString(s) > max {
		r := []rune(s)
		head := string(r[:max])
		cut := strings.LastIndex(head, "\n\n")
		if cut < max/2 {
			cut = strings.LastIndex(head, "\n")
		}
		if cut < max/2 {
			cut = len(head)
		}
		out = append(out, strings.TrimRight(s[:cut], "\n"))
		s = strings.TrimLeft(s[cut:], "\n")
	}
	if strings.TrimSpace(s) != "" {
		out = append(out, s)
	}
	return out
}

// fallback is the message's plain text: what notifications and screen
// readers show. It is the first lines of the reply, within limits.
func fallback(text string) string {
	return truncate(text, maxFallback)
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// message is a reply as Slack blocks plus its fallback text.
type message struct {
	Text   string
	Blocks []slack.Block
}

// render turns a bot reply into a Slack message.
func render(r bot.Reply) message {
	text := mrkdwn(r.Text)
	return message{Text: fallback(text), Blocks: textBlocks(text)}
}

// responseType is Slack's name for who sees a reply.
func responseType(r bot.Reply) string {
	if r.Ephemeral {
		return slack.ResponseTypeEphemeral
	}
	return slack.ResponseTypeInChannel
}
