package slack

import "strings"

// plainText decodes the text of a Slack message (an app_mention or a
// direct message) into the plain text the bot parses. Slack encodes
// message text ("Formatting text for app surfaces"): &, < and > arrive as
// &amp;, &lt; and &gt;, and between < and > only references:
//
//	<@U024BE7LH>, <@U024BE7LH|bob>       → @U024BE7LH, @bob
//	<#C024BE7LR|general>, <#C024BE7LR>   → #general, #C024BE7LR
//	<!here>, <!channel>, <!everyone>     → @here, @channel, @everyone
//	<!subteam^SAZ94GDB8|@raadsleden>     → @raadsleden
//	<!date^1392734382^{date}|Feb 18>     → Feb 18 (the fallback text)
//	<https://example.com|Example>        → Example (without a label, the URL)
//	<mailto:bob@example.com|Bob>         → Bob
//
// A reference becomes what the person saw: the @-mention or #channel as
// text, a link's label. Entities are decoded last, within each piece, so
// that a typed &lt; stays a literal < and cannot form a reference. Nothing
// decoded pings when the bot shows it again: Slack notifies only for the
// <…> forms, which Slack's own text never yields here, and the bot breaks
// @channel, @here and @everyone in everything it echoes (bot.Neutralize).
//
// Slash command text is not encoded this way: every command in the
// manifest has should_escape: false, so Slack sends it as typed (with
// escaping on, mentions and links would arrive in these forms too).
func plainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s))
	for {
		open := strings.IndexByte(s, '<')
		if open < 0 {
			break
		}
		end := strings.IndexByte(s[open:], '>')
		if end < 0 {
			break // not Slack's encoding: a < always has its >
		}
		entities.WriteString(&sb, s[:open])
		reference(&sb, s[open+1:open+end])
		s = s[open+end+1:]
	}
	entities.WriteString(&sb, s)
	return sb.String()
}

// entities decodes the three entities Slack encodes, in one pass.
var entities = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

// reference writes what a reference <ref> stands for.
func reference(sb *strings.Builder, ref string) {
	target, label, labelled := strings.Cut(ref, "|")
	switch {
	case strings.HasPrefix(target, "@"): // a user
		sb.WriteByte('@')
		entities.WriteString(sb, firstNonEmpty(label, target[1:]))
	case strings.HasPrefix(target, "#"): // a channel
		sb.WriteByte('#')
		entities.WriteString(sb, firstNonEmpty(label, target[1:]))
	case strings.HasPrefix(target, "!"): // a special mention or a date
		kind, rest, _ := strings.Cut(target[1:], "^")
		switch kind {
		case "here", "channel", "everyone":
			sb.WriteString("@" + kind)
		case "subteam":
			id, _, _ := strings.Cut(rest, "^")
			handle := firstNonEmpty(label, id)
			if !strings.HasPrefix(handle, "@") {
				sb.WriteByte('@')
			}
			entities.WriteString(sb, handle)
		default: // a date's fallback text, or another special with its label
			entities.WriteString(sb, label)
		}
	case labelled && label != "":
		entities.WriteString(sb, label)
	default: // a link without a label: its URL
		entities.WriteString(sb, target)
	}
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
