package bot

import (
	"fmt"
	"strings"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// PollParts is a poll as sentences in the bot's language, in parts, so
// that an adapter can lay the poll out its own way without composing or
// parsing text. Every part is the bot's neutral Markdown (**bold**,
// _italics_, `code`) with what users typed escaped and whole-channel
// mentions broken, except Button texts, which are plain. A part that does
// not apply is empty. Markdown joins the parts into the poll message as
// the bot answers with it.
type PollParts struct {
	Title    string        // "**Casus** · peiling `ab3k` van anna"
	Question string        // the casus or the statement, for a quote line ("> ")
	Prompt   string        // "**Welke waarden wegen voor jou het zwaarst?** Kies er hooguit 3."
	Options  []OptionParts // in the poll's order
	Proposed string        // "_Deze waarden stelde ik voor …_" when the bot chose the values
	Voters   string        // "2 stemmers."
	Hidden   string        // that the counts show when the poll closes, while they are hidden
	Closed   string        // "Deze peiling is gesloten. …" once closed; the parts below are then empty
	HowTo    string        // "Stem met `/stem ab3k privacy, orde` …": how to vote by typing
	// HowToOne is HowTo with one option in its example, for a message
	// whose buttons show how to pick more.
	HowToOne  string
	Anonymous string     // that the bot does not keep who voted what, in an anonymous poll
	Closes    string     // "Sluit vanzelf op 2026-12-01 17:00." with a deadline
	Close     CloseParts // the close button and its confirmation

	// Added with issue 13; each is empty when it does not apply.
	Participation string   // "7 van 11 kanaalleden hebben gestemd.", when the platform tells how many are in the channel
	Link          string   // "Herhaling van peiling `ab3k`." or "Herhaald in peiling `cd4m`."
	Remind        string   // when those who have not voted get a private reminder
	Open          string   // that anyone may add a value, and how (`/optie ab3k waarde`), while open
	Add           AddParts // the add button and its form, while open with aanvullen

	// Result is the result, in a reply that carries it (a closed poll,
	// /uitslag, PollMessage).
	Result *ResultParts
}

// OptionParts is one option of PollParts.
type OptionParts struct {
	Label   string // "Privacy"
	Cluster string // "Vrijheid", or "_niet op de Waardenkaart_"; empty in a statement
	Votes   string // "2 stemmen"; empty while the counts are hidden
	Button  string // plain text for the option's button: "Privacy · 2", or "Privacy" while the counts are hidden
	AddedBy string // "_toegevoegd door bob_" for a value added later; "_toegevoegd_" in an anonymous poll
}

// AddParts is what the button that adds a value says, in plain text;
// empty unless anyone may add a value (aanvullen).
type AddParts struct {
	Button string // "Waarde toevoegen"
}

// CloseParts is what the close button and its confirmation say, in plain
// text.
type CloseParts struct {
	Button  string // "Sluit de peiling"
	Title   string // "Peiling sluiten?"
	Text    string // what closing does
	Confirm string // "Sluiten"
	Cancel  string // "Annuleren"
}

// ResultParts is a poll's result in parts, like PollParts. While the
// counts are hidden only Title, Question, Voters and Hidden are set; only
// a value poll has the parts from Clusters on.
type ResultParts struct {
	Title        string   // "**Uitslag van peiling `ab3k`** (gesloten)"
	Question     string   // the casus or the statement, shortened, for a quote line
	Voters       string   // "2 stemmers."
	Hidden       string   // that the counts show when the poll closes
	Heading      string   // "Stemmen per optie:"
	Options      []string // list items, most votes first: "- **Privacy** (Vrijheid): 2 stemmen (100%)"
	Clusters     string   // "Per cluster: Vrijheid 2 · Nut 1"
	Tensions     string   // "**Waar ligt de spanning?**", when there are tensions
	TensionLines []string // list items: "- Privacy (Vrijheid) ↔ Doelmatigheid (Nut)"
	TensionsHow  string   // "_Een spanning is …_": what a tension is
	NoTension    string   // that the strongly chosen values share a cluster
	FollowUp     string   // "**Vervolgvragen** …:", when there are follow-up questions
	Questions    []string // list items: "- Vraag? _(thema X, bij Privacy)_"
	Citation     string   // "_Bron: …_", with the follow-up questions

	// Added with issue 13.
	Participation string      // as in PollParts
	Link          string      // as in PollParts
	Shift         *ShiftParts // how views moved since the poll this one repeats, when both have votes to compare
}

// ShiftParts is how views moved from a poll to its repeat, in parts.
type ShiftParts struct {
	Title           string   // "**Verschuiving sinds peiling `ab3k`** (5 → 8 stemmers)"
	Options         []string // list items, largest share after first: "- **Privacy** 40% → 65%"
	Clusters        string   // "Per cluster (aandeel van alle gekozen waarden): Vrijheid 45% → 60% · …"
	Tensions        []string // list items: "- Nieuwe spanning: …", "- Verdwenen spanning: …"
	NoTensionChange string   // that the tensions are the same, for a value poll
	Empty           string   // that one of the polls has no votes yet; the parts above are then empty
}

// Markdown is the poll message: the title, the casus or statement, the
// options with their counts, how to vote and the settings.
func (p *PollParts) Markdown() string {
	var sb strings.Builder
	sb.WriteString(p.Title + "\n> " + p.Question + "\n\n" + p.Prompt + "\n")
	for i, o := range p.Options {
		fmt.Fprintf(&sb, "%d. **%s**", i+1, o.Label)
		if o.Cluster != "" {
			sb.WriteString(" · " + o.Cluster)
		}
		if o.Votes != "" {
			sb.WriteString(" — " + o.Votes)
		}
		if o.AddedBy != "" {
			sb.WriteString(" · " + o.AddedBy)
		}
		sb.WriteString("\n")
	}
	if p.Proposed != "" {
		sb.WriteString(p.Proposed + "\n")
	}
	sb.WriteString("\n" + p.Voters)
	for _, s := range []string{p.Participation, p.Hidden} {
		if s != "" {
			sb.WriteString(" " + s)
		}
	}
	if p.Closed != "" {
		sb.WriteString("\n" + p.Closed)
		if p.Link != "" {
			sb.WriteString("\n" + p.Link)
		}
		return sb.String()
	}
	sb.WriteString("\n" + p.HowTo)
	for _, s := range []string{p.Open, p.Anonymous, p.Closes, p.Remind, p.Link} {
		if s != "" {
			sb.WriteString("\n" + s)
		}
	}
	return sb.String()
}

// Markdown is the result message: counts per option and cluster, tensions
// and follow-up questions, or while the counts are hidden only how many
// voted.
func (r *ResultParts) Markdown() string {
	var sb strings.Builder
	sb.WriteString(r.Title + "\n> " + r.Question + "\n\n" + r.Voters)
	if r.Participation != "" {
		sb.WriteString(" " + r.Participation)
	}
	if r.Link != "" {
		sb.WriteString("\n" + r.Link)
	}
	if r.Hidden != "" {
		sb.WriteString(" " + r.Hidden)
		return sb.String()
	}
	sb.WriteString("\n\n" + r.Heading + "\n")
	for _, line := range r.Options {
		sb.WriteString(line + "\n")
	}
	if r.Clusters != "" {
		sb.WriteString("\n" + r.Clusters + "\n")
	}
	if r.Tensions != "" {
		sb.WriteString("\n" + r.Tensions + "\n")
		for _, line := range r.TensionLines {
			sb.WriteString(line + "\n")
		}
		sb.WriteString(r.TensionsHow + "\n")
	} else if r.NoTension != "" {
		sb.WriteString("\n" + r.NoTension + "\n")
	}
	if r.Shift != nil {
		sb.WriteString("\n" + r.Shift.Markdown() + "\n")
	}
	if r.FollowUp != "" {
		sb.WriteString("\n" + r.FollowUp + "\n")
		for _, line := range r.Questions {
			sb.WriteString(line + "\n")
		}
		sb.WriteString("\n" + r.Citation)
	}
	return strings.TrimRight(sb.String(), "\n")
}

// Markdown is the shift as a paragraph of the result.
func (s *ShiftParts) Markdown() string {
	var sb strings.Builder
	sb.WriteString(s.Title)
	if s.Empty != "" {
		return sb.String() + "\n" + s.Empty
	}
	for _, line := range s.Options {
		sb.WriteString("\n" + line)
	}
	if s.Clusters != "" {
		sb.WriteString("\n" + s.Clusters)
	}
	for _, line := range s.Tensions {
		sb.WriteString("\n" + line)
	}
	if s.NoTensionChange != "" {
		sb.WriteString("\n" + s.NoTensionChange)
	}
	return sb.String()
}

// pollParts is the poll of src in parts: p with tally t at now; with
// withResult also its result, r (nil while the counts are hidden).
func (b *Bot) pollParts(src *partsSource) *PollParts {
	p, t, now, withResult := src.p, src.t, src.now, src.withResult
	show := p.CountsShown(now)
	title := "poll.title." + string(p.Kind)
	pp := &PollParts{
		Title:    b.msg.T(title, p.ID),
		Question: Escape(p.Question),
		Prompt:   "**" + b.prompt(p) + "**",
		Voters:   b.msg.T("poll.voters", t.Voters),
		Close: CloseParts{
			Button: b.msg.T("button.close"), Title: b.msg.T("button.close.title"), Text: b.msg.T("button.close.text"),
			Confirm: b.msg.T("button.close.confirm"), Cancel: b.msg.T("button.cancel"),
		},
	}
	if !p.Anon && p.Name != "" {
		pp.Title = b.msg.T(title+".by", p.ID, Quote(p.Name, 60))
	}
	if p.Kind == poll.Values {
		pp.Prompt += " " + b.msg.T("poll.max", p.Max)
	}
	for _, o := range p.Options {
		op := OptionParts{Label: Escape(o.Label), Button: Neutralize(o.Label)}
		if p.Kind == poll.Values {
			op.Cluster = Escape(o.Cluster)
			if !o.OnMap {
				op.Cluster = "_" + b.msg.T("poll.offmap") + "_"
			}
		}
		if show {
			op.Votes = b.msg.T("poll.votes", t.Votes[o.Key])
			op.Button = fmt.Sprintf("%s · %d", op.Button, t.Votes[o.Key])
		}
		switch {
		case o.AddedBy != "":
			op.AddedBy = "_" + b.msg.T("option.added_by", Quote(o.AddedBy, 60)) + "_"
		case o.Added:
			op.AddedBy = "_" + b.msg.T("option.added") + "_"
		}
		pp.Options = append(pp.Options, op)
	}
	if src.haveCount {
		pp.Participation = b.msg.T("poll.participation", t.Voters, src.members)
	}
	pp.Link = b.link(p)
	if p.Proposed {
		pp.Proposed = "_" + b.msg.T("poll.proposed") + "_"
	}
	if !show {
		pp.Hidden = b.msg.T("poll.hidden")
	}
	if p.IsClosed(now) {
		pp.Closed = b.msg.T("poll.closed", p.ID)
	} else {
		example := p.Options[0].Key
		pp.HowToOne = b.msg.T("poll.howto", p.ID, example)
		if p.Kind == poll.Values && len(p.Options) > 1 && p.Max > 1 {
			example += ", " + p.Options[1].Key
		}
		pp.HowTo = b.msg.T("poll.howto", p.ID, example)
		if p.Anon {
			pp.Anonymous = b.msg.T("poll.anon")
		}
		if !p.ClosesAt.IsZero() {
			pp.Closes = b.msg.T("poll.closes", b.formatTime(p.ClosesAt))
		}
		if at := p.RemindAt(); !at.IsZero() && !p.Reminded {
			pp.Remind = b.msg.T("poll.remind", b.formatTime(at))
		}
		if p.Open {
			pp.Open = b.msg.T("poll.open", p.ID)
			pp.Add = AddParts{Button: b.msg.T("button.add")}
		}
	}
	if withResult {
		pp.Result = b.resultParts(src)
		pp.Result.Participation = pp.Participation
	}
	return pp
}

// link says which poll p repeats, or which polls repeat it.
func (b *Bot) link(p poll.Poll) string {
	switch {
	case p.Repeats != "" && len(p.RepeatedBy) > 0:
		return b.msg.T("poll.repeats", p.Repeats) + " " + b.msg.T("poll.repeated", b.ids(p.RepeatedBy))
	case p.Repeats != "":
		return b.msg.T("poll.repeats", p.Repeats)
	case len(p.RepeatedBy) > 0:
		return b.msg.T("poll.repeated", b.ids(p.RepeatedBy))
	}
	return ""
}

// ids lists poll IDs as code: "`ab3k`, `cd4m`".
func (b *Bot) ids(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = "`" + id + "`"
	}
	return b.list(out)
}

// resultParts is the result of the poll of src in parts: the result r of
// p with tally t at now, and the shift since the poll it repeats.
func (b *Bot) resultParts(src *partsSource) *ResultParts {
	p, t, now, r := src.p, src.t, src.now, src.r
	state := b.msg.T("result.open")
	if p.IsClosed(now) {
		state = b.msg.T("result.final")
	}
	rp := &ResultParts{
		Title:    b.msg.T("result.title", p.ID, state),
		Question: Quote(p.Question, 300),
		Voters:   b.msg.T("poll.voters", t.Voters),
		Link:     b.link(p),
	}
	if r == nil {
		rp.Hidden = b.msg.T("poll.hidden")
		return rp
	}
	if src.shift != nil {
		rp.Shift = b.shiftParts(p, *src.shift)
	}
	rp.Heading = b.msg.T("result.options")
	for _, c := range r.Options {
		o, _ := p.Option(c.Key)
		line := "- **" + Escape(o.Label) + "**"
		if p.Kind == poll.Values {
			line += " (" + Escape(b.clusterName(o)) + ")"
		}
		rp.Options = append(rp.Options, line+": "+b.msg.T("poll.votes", c.Votes)+percent(c.Votes, t.Voters))
	}
	if p.Kind != poll.Values {
		return rp
	}
	if len(r.Clusters) > 0 {
		var parts []string
		for _, c := range r.Clusters {
			parts = append(parts, fmt.Sprintf("%s %d", c.Name, c.Votes))
		}
		rp.Clusters = b.msg.T("result.clusters") + " " + strings.Join(parts, " · ")
	}
	if len(r.Tensions) > 0 {
		rp.Tensions = b.msg.T("result.tensions")
		for _, x := range r.Tensions {
			rp.TensionLines = append(rp.TensionLines, "- "+Escape(b.tensionText(x)))
		}
		rp.TensionsHow = "_" + b.msg.T("result.tensions.how") + "_"
	} else if len(r.Strong) > 0 {
		rp.NoTension = b.msg.T("result.no_tension")
	}
	if len(r.Questions) > 0 {
		rp.FollowUp = b.msg.T("result.questions", b.msg.T("own"))
		for _, q := range r.Questions {
			rp.Questions = append(rp.Questions, b.msg.T("result.question", q.Question, q.Theme, q.Value))
		}
		rp.Citation = b.msg.T("source", b.kb.Citation())
	}
	return rp
}

// percent is " (40%)" of n out of total voters, or nothing without voters.
func percent(n, total int) string {
	if total == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d%%)", (100*n+total/2)/total)
}
