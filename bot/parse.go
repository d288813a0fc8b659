package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ParseCommand splits chat text into a command word and its arguments. The
// leading slash is optional, so the text of a mention ("waarde privacy")
// parses like a slash command ("/waarde privacy"). The command is lower
// case; the arguments are cleaned with CleanInput.
func ParseCommand(text string) (command, args string) {
	text = CleanInput(text)
	text = strings.TrimLeft(text, "/!")
	word, rest, _ := strings.Cut(text, " ")
	return normalizeCommand(word), strings.TrimSpace(rest)
}

func normalizeCommand(s string) string {
	return strings.ToLower(strings.TrimLeft(strings.TrimSpace(s), "/"))
}

// quoteReplacer turns typographic quotes and spaces, as phones and Macs type
// them, into plain ones so that parsing does not depend on the keyboard.
var quoteReplacer = strings.NewReplacer(
	"\u201c", `"`, "\u201d", `"`, "\u201e", `"`, "\u00ab", `"`, "\u00bb", `"`,
	"\u2018", "'", "\u2019", "'", "\u201a", "'", "\u2039", "'", "\u203a", "'",
	"\u00a0", " ", "\u202f", " ", "\u2007", " ",
)

// CleanInput makes user input safe to parse: invalid UTF-8 is replaced,
// control and zero-width characters are removed, curly quotes become
// straight ones, and runs of white space (also newlines) become one space.
func CleanInput(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = quoteReplacer.Replace(s)
	var sb strings.Builder
	sb.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = sb.Len() > 0
			continue
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			continue
		}
		if space {
			sb.WriteByte(' ')
			space = false
		}
		sb.WriteRune(r)
	}
	return sb.String()
}
