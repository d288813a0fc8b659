package bot

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// wordJoiner is an invisible character that breaks a mention apart without
// changing how the text reads.
const wordJoiner = "\u2060"

// broadcast matches mentions that would notify a whole channel or team on
// Slack or Mattermost: @channel, @here, @all, @everyone and Slack's
// <!channel>, <!here>, <!everyone>, <!subteam^…>.
var broadcast = regexp.MustCompile(`(?i)@(channel|here|all|everyone)\b|<!`)

// Neutralize breaks every whole-channel mention in text that came from a
// user, so that nothing the bot posts can ping a channel.
func Neutralize(s string) string {
	return broadcast.ReplaceAllStringFunc(s, func(m string) string {
		return m[:1] + wordJoiner + m[1:]
	})
}

var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "~", `\~`, "[", `\[`, "]", `\]`,
	"|", `\|`, "#", `\#`, ">", `\>`, "<", `\<`,
)

// Escape makes user text safe to put in a Markdown reply: whole-channel
// mentions are broken and Markdown syntax is escaped, so that the text shows
// as typed and cannot change the layout of the reply.
func Escape(s string) string {
	return markdownEscaper.Replace(Neutralize(s))
}

// Quote is Escape for an echo of what the user typed, shortened to max
// runes so that a long input does not flood the reply.
func Quote(s string, max int) string {
	return Escape(Truncate(s, max))
}

// Truncate shortens s to at most n runes, ending in "…" when cut.
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
