package bot

import (
	"fmt"
	"strings"
)

// catalog holds every sentence the bot shows a user, by key, in one
// language. The book's own content (values, opinions, questions) is not
// translated.
//
// A message that counts something has two forms, joined by plural: the
// form for exactly one, then the form for any other number, 0 included
// ("%d stem" + plural + "%d stemmen"). The first int argument chooses; a
// singular may leave the number out by naming its other arguments
// ("elk uur (%[2]s)"). A message that counts two things is made of count
// messages ("n.values"), one for each. Dutch and English need no more than these two forms;
// golang.org/x/text/message with its plural rules would add about 0.6 MB
// of CLDR tables and catalog code to the binary, and a catalog built at
// every start, to choose between the same two.
type catalog map[string]string

// plural separates the singular and plural form of a message.
const plural = "\x1f"

// T formats the message for key with args. A missing key is a bug that a
// test catches; at run time it shows the key rather than nothing.
func (c catalog) T(key string, args ...any) string {
	f, ok := c[key]
	if !ok {
		return key
	}
	if one, other, ok := strings.Cut(f, plural); ok {
		f = other
		if count(args) == 1 {
			f = one
		}
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}

// count is the first int among args, the number a message with two forms
// counts; -1 when there is none.
func count(args []any) int {
	for _, a := range args {
		if n, ok := a.(int); ok {
			return n
		}
	}
	return -1
}

func catalogFor(lang string) catalog {
	if lang == "en" {
		return english
	}
	return dutch
}
