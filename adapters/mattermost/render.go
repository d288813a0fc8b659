package mattermost

import (
	"strings"
	"unicode/utf8"

	"github.com/waardenbot/waardenbot/bot"
)

// render turns the bot's neutral Markdown into a Mattermost message.
// Mattermost reads the same Markdown (**bold**, _italic_, "> " quotes, "- "
// lists, backslash escapes), so the text stays as it is, except that every
// whole-channel mention is broken once more: the core already does this for
// user text it echoes, and a post must never ping a channel.
func render(text string) string {
	return bot.Neutralize(text)
}

// split cuts text into posts of at most max runes each: after a blank line
// (between paragraphs) where possible, else after a line break, else at a
// space, else anywhere. It always returns at least one part.
func split(text string, max int) []string {
	var out []string
	for utf8.RuneCountInString(text) > max {
		head := string([]rune(text)[:max])
		cut := lastBreak(head, max)
		out = append(out, strings.TrimRight(text[:cut], " \n"))
		text = strings.TrimLeft(text[cut:], " \n")
	}
	if text = strings.TrimRight(text, " \n"); text != "" || len(out) == 0 {
		out = append(out, text)
	}
	return out
}

// lastBreak is the byte index in head after which to cut: the last
// paragraph break, line break or space in its second half, else its end.
func lastBreak(head string, max int) int {
	half := len(string([]rune(head)[:max/2]))
	for _, sep := range []string{"\n\n", "\n", " "} {
		if i := strings.LastIndex(head, sep); i >= half {
			return i + len(sep)
		}
	}
	return len(head)
}
