package bot

import (
	"fmt"
	"strings"
	"time"
)

// PollView is a poll as an adapter shows it: the casus or statement, one
// button per option with its count, and the result once closed. Text in it
// is what users typed with whole-channel mentions broken, but not escaped
// for any markup: an adapter escapes it for its platform. In a hidden poll
// that is still open every count is 0 and Result is nil.
type PollView struct {
	ID        string       `json:"id"`
	Kind      PollKind     `json:"kind"`
	Question  string       `json:"question"` // the casus or the statement
	Prompt    string       `json:"prompt"`   // "Welke waarden wegen voor jou het zwaarst?"
	Options   []OptionView `json:"options"`
	Voters    int          `json:"voters"`
	Closed    bool         `json:"closed"`
	Anonymous bool         `json:"anonymous"`
	Hidden    bool         `json:"hidden"`
	Max       int          `json:"max"`                // options one voter may pick
	Proposed  bool         `json:"proposed,omitempty"` // the bot chose the values
	Creator   string       `json:"creator,omitempty"`  // readable name; empty in an anonymous poll
	ClosesAt  time.Time    `json:"closes_at,omitzero"`
	Result    *ResultView  `json:"result,omitempty"`

	// Where the poll is, and its own message there once an adapter
	// posted it (PollPosted): what an adapter needs to redraw it.
	Where   Destination `json:"-"`
	Message string      `json:"-"`
}

// OptionView is one option of a PollView.
type OptionView struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Cluster string `json:"cluster"`
	OnMap   bool   `json:"on_map"`
	Votes   int    `json:"votes"`
}

// ResultView is the part of a result beyond the counts per option.
type ResultView struct {
	Clusters  []Count       `json:"clusters"`
	Strong    []string      `json:"strong"` // option keys
	Tensions  []TensionView `json:"tensions"`
	Questions []FollowUp    `json:"questions"`
}

// TensionView is a tension with its text, "Privacy (Vrijheid) ↔
// Doelmatigheid (Nut)".
type TensionView struct {
	A    string `json:"a"` // option keys
	B    string `json:"b"`
	Text string `json:"text"`
}

// countsShown reports whether the counts of p may be shown at now.
func countsShown(p Poll, now time.Time) bool { return !p.Hidden || p.isClosed(now) }

// view is p with tally t as adapters show it; with withResult the result
// is included when the counts may be shown.
func (b *Bot) view(p Poll, t Tally, withResult bool) *PollView {
	now := b.now()
	show := countsShown(p, now)
	v := &PollView{
		ID: p.ID, Kind: p.Kind, Question: Neutralize(p.Question), Prompt: b.prompt(p),
		Voters: t.Voters, Closed: p.isClosed(now), Anonymous: p.Anon, Hidden: p.Hidden,
		Max: p.Max, Proposed: p.Proposed, Where: p.Where, Message: p.Message,
	}
	if !p.ClosesAt.IsZero() {
		v.ClosesAt = p.ClosesAt.In(b.cfg.Location)
	}
	if !p.Anon {
		v.Creator = Neutralize(p.Name)
	}
	for _, o := range p.Options {
		ov := OptionView{Key: o.Key, Label: Neutralize(o.Label), Cluster: o.Cluster, OnMap: o.OnMap}
		if show {
			ov.Votes = t.Votes[o.Key]
		}
		v.Options = append(v.Options, ov)
	}
	if show && (withResult || v.Closed) {
		r := b.result(p, t)
		rv := &ResultView{Clusters: r.Clusters, Questions: r.Questions}
		for _, o := range r.Strong {
			rv.Strong = append(rv.Strong, o.Key)
		}
		for _, x := range r.Tensions {
			rv.Tensions = append(rv.Tensions, TensionView{A: x.A.Key, B: x.B.Key, Text: Neutralize(b.tensionText(x))})
		}
		v.Result = rv
	}
	return v
}

func (b *Bot) prompt(p Poll) string {
	if p.Kind == StatementPoll {
		return b.msg.T("poll.prompt.stelling")
	}
	return b.msg.T("poll.prompt.waarden")
}

// clusterName is an option's cluster as shown, or that it is not on the map.
func (b *Bot) clusterName(o PollOption) string {
	if o.OnMap {
		return o.Cluster
	}
	return b.msg.T("poll.offmap")
}

func (b *Bot) tensionText(x Tension) string {
	return fmt.Sprintf("%s (%s) ↔ %s (%s)", x.A.Label, b.clusterName(x.A), x.B.Label, b.clusterName(x.B))
}

func (b *Bot) formatTime(t time.Time) string {
	return t.In(b.cfg.Location).Format("2006-01-02 15:04")
}

// pollText is the poll message: the casus or statement, the options with
// their counts (unless hidden), how to vote, and the settings.
func (b *Bot) pollText(p Poll, t Tally) string {
	now := b.now()
	var sb strings.Builder
	title := "poll.title." + string(p.Kind)
	if p.Anon || p.Name == "" {
		sb.WriteString(b.msg.T(title, p.ID))
	} else {
		sb.WriteString(b.msg.T(title+".by", p.ID, Quote(p.Name, 60)))
	}
	sb.WriteString("\n> " + Escape(p.Question) + "\n\n")
	sb.WriteString("**" + b.prompt(p) + "**")
	if p.Kind == ValuePoll {
		sb.WriteString(" " + b.msg.T("poll.max", p.Max))
	}
	sb.WriteString("\n")
	show := countsShown(p, now)
	for i, o := range p.Options {
		fmt.Fprintf(&sb, "%d. **%s**", i+1, Escape(o.Label))
		if p.Kind == ValuePoll {
			if o.OnMap {
				sb.WriteString(" · " + o.Cluster)
			} else {
				sb.WriteString(" · _" + b.msg.T("poll.offmap") + "_")
			}
		}
		if show {
			sb.WriteString(" — " + b.msg.T("poll.votes", t.Votes[o.Key]))
		}
		sb.WriteString("\n")
	}
	if p.Proposed {
		sb.WriteString("_" + b.msg.T("poll.proposed") + "_\n")
	}
	sb.WriteString("\n" + b.msg.T("poll.voters", t.Voters))
	if !show {
		sb.WriteString(" " + b.msg.T("poll.hidden"))
	}
	if p.isClosed(now) {
		sb.WriteString("\n" + b.msg.T("poll.closed", p.ID))
		return sb.String()
	}
	example := p.Options[0].Key
	if p.Kind == ValuePoll && len(p.Options) > 1 && p.Max > 1 {
		example += ", " + p.Options[1].Key
	}
	sb.WriteString("\n" + b.msg.T("poll.howto", p.ID, example))
	if p.Anon {
		sb.WriteString("\n" + b.msg.T("poll.anon"))
	}
	if !p.ClosesAt.IsZero() {
		sb.WriteString("\n" + b.msg.T("poll.closes", b.formatTime(p.ClosesAt)))
	}
	return sb.String()
}

// resultText is the result of a poll: counts per option and cluster,
// tensions and follow-up questions. For a hidden poll that is still open it
// says only how many have voted.
func (b *Bot) resultText(p Poll, t Tally) string {
	now := b.now()
	var sb strings.Builder
	state := b.msg.T("result.open")
	if p.isClosed(now) {
		state = b.msg.T("result.final")
	}
	sb.WriteString(b.msg.T("result.title", p.ID, state) + "\n> " + Quote(p.Question, 300) + "\n\n")
	sb.WriteString(b.msg.T("poll.voters", t.Voters))
	if !countsShown(p, now) {
		sb.WriteString(" " + b.msg.T("poll.hidden"))
		return sb.String()
	}
	r := b.result(p, t)
	sb.WriteString("\n\n" + b.msg.T("result.options") + "\n")
	for _, c := range r.Options {
		o, _ := p.option(c.Key)
		line := "- **" + Escape(o.Label) + "**"
		if p.Kind == ValuePoll {
			line += " (" + Escape(b.clusterName(o)) + ")"
		}
		sb.WriteString(line + ": " + b.msg.T("poll.votes", c.Votes) + percent(c.Votes, t.Voters) + "\n")
	}
	if p.Kind != ValuePoll {
		return strings.TrimRight(sb.String(), "\n")
	}
	if len(r.Clusters) > 0 {
		var parts []string
		for _, c := range r.Clusters {
			parts = append(parts, fmt.Sprintf("%s %d", c.Name, c.Votes))
		}
		sb.WriteString("\n" + b.msg.T("result.clusters") + " " + strings.Join(parts, " · ") + "\n")
	}
	if len(r.Tensions) > 0 {
		sb.WriteString("\n" + b.msg.T("result.tensions") + "\n")
		for _, x := range r.Tensions {
			sb.WriteString("- " + Escape(b.tensionText(x)) + "\n")
		}
		sb.WriteString("_" + b.msg.T("result.tensions.how") + "_\n")
	} else if len(r.Strong) > 0 {
		sb.WriteString("\n" + b.msg.T("result.no_tension") + "\n")
	}
	if len(r.Questions) > 0 {
		sb.WriteString("\n" + b.msg.T("result.questions", b.msg.T("own")) + "\n")
		for _, q := range r.Questions {
			sb.WriteString(b.msg.T("result.question", q.Question, q.Theme, q.Value) + "\n")
		}
		sb.WriteString("\n" + b.msg.T("source", b.kb.Citation()))
	}
	return strings.TrimRight(sb.String(), "\n")
}

// percent is " (40%)" of n out of total voters, or nothing without voters.
func percent(n, total int) string {
	if total == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d%%)", (100*n+total/2)/total)
}
