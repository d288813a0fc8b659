package bot

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// Form is a form an adapter shows instead of asking people to remember a
// command's syntax: a Slack modal, a Mattermost interactive dialog. Its
// words are plain text in the bot's language. The adapter shows the
// fields, and hands what was filled in to SubmitForm with the form's ID
// and Poll, which it keeps with the form (Slack's private_metadata, a
// dialog's signed state).
//
// /casus and /stelling without text answer with a Reply whose Form is set
// (and whose text says how to type the command, for a platform without
// forms); a poll's "Waarde toevoegen" button opens OptionForm.
type Form struct {
	ID     string // "casus", "stelling" or "optie": what SubmitForm is told
	Poll   string // the poll an "optie" form adds to
	Title  string // at most 24 characters (Slack's limit for a modal's title)
	Intro  string // above the fields
	Submit string
	Cancel string
	Fields []Field
}

// FieldKind is how a field is filled in.
type FieldKind int

// Kinds of field.
const (
	FieldText   FieldKind = iota // one line of text
	FieldLong                    // several lines of text
	FieldChoose                  // any number of Options (a multi-select); at most MaxChoices
	FieldPick                    // one of Options (a select), Default chosen at first
	FieldFlags                   // each Option on or off (checkboxes)
)

// Field is one field of a Form.
type Field struct {
	Name        string // the key of its values in a submission, and of its error
	Kind        FieldKind
	Label       string // at most 24 characters (Mattermost's limit)
	Hint        string // a line of help below it
	Placeholder string
	Optional    bool
	MaxLength   int // of a text
	MaxChoices  int // of a FieldChoose
	Default     string
	Options     []FieldOption
}

// FieldOption is one option of a field: what a submission says (Value),
// what people read (Label, at most 24 characters; Hint a longer line, for
// a switch), and the group it belongs to (a value's cluster), for a
// platform that can group options.
type FieldOption struct {
	Value, Label, Hint, Group string
}

// Names of the poll form's fields.
const (
	fieldText     = "text"
	fieldValues   = "values"
	fieldOther    = "other"
	fieldSettings = "settings"
	fieldMax      = "max"
	fieldDeadline = "deadline"
	fieldRemind   = "remind"
	fieldValue    = "value"
)

// Form IDs.
const (
	formCasus    = "casus"
	formStelling = "stelling"
	formOption   = "optie"
)

// pollForm is the form that starts a poll of kind: the text, for a casus
// the values (the Waardenkaart's and others typed), the switches, for a
// casus the most values per person, the deadline and the reminder.
func (b *Bot) pollForm(kind poll.Kind) *Form {
	f := &Form{ID: formCasus, Title: b.msg.T("form.casus.title"), Intro: b.msg.T("form.casus.intro"),
		Submit: b.msg.T("form.submit"), Cancel: b.msg.T("button.cancel")}
	if kind == poll.Statement {
		f.ID, f.Title, f.Intro = formStelling, b.msg.T("form.stelling.title"), b.msg.T("form.stelling.intro")
	}
	f.Fields = append(f.Fields, Field{Name: fieldText, Kind: FieldLong, Label: b.msg.T("form.text." + f.ID),
		Placeholder: b.msg.T("form.text." + f.ID + ".placeholder"), MaxLength: 3000})
	switch_ := func(name string) FieldOption {
		return FieldOption{Value: name, Label: b.msg.T("form." + name), Hint: b.msg.T("form." + name + ".hint")}
	}
	switches := []FieldOption{switch_("anoniem"), switch_("verborgen")}
	if kind == poll.Values {
		f.Fields = append(f.Fields,
			Field{Name: fieldValues, Kind: FieldChoose, Label: b.msg.T("form.values"), Hint: b.msg.T("form.values.hint"),
				Optional: true, MaxChoices: 10, Options: b.valueOptions()},
			Field{Name: fieldOther, Kind: FieldText, Label: b.msg.T("form.other"), Placeholder: b.msg.T("form.other.placeholder"),
				Optional: true, MaxLength: 400})
		switches = append(switches, switch_("aanvullen"))
	}
	f.Fields = append(f.Fields, Field{Name: fieldSettings, Kind: FieldFlags, Label: b.msg.T("form.settings"), Optional: true, Options: switches})
	if kind == poll.Values {
		var maxes []FieldOption
		for n := 1; n <= 10; n++ {
			maxes = append(maxes, FieldOption{Value: strconv.Itoa(n), Label: strconv.Itoa(n)})
		}
		f.Fields = append(f.Fields, Field{Name: fieldMax, Kind: FieldPick, Label: b.msg.T("form.max"), Default: "3", Options: maxes})
	}
	f.Fields = append(f.Fields,
		Field{Name: fieldDeadline, Kind: FieldText, Label: b.msg.T("form.deadline"), Hint: b.msg.T("form.deadline.hint"),
			Placeholder: "2d", Optional: true, MaxLength: 40},
		Field{Name: fieldRemind, Kind: FieldText, Label: b.msg.T("form.remind"), Hint: b.msg.T("form.remind.hint"),
			Placeholder: "2u", Optional: true, MaxLength: 20})
	return f
}

// valueOptions are the values of the Waardenkaart, by cluster, for the
// form's multi-select.
func (b *Bot) valueOptions() []FieldOption {
	var out []FieldOption
	for _, c := range b.kb.Clusters {
		for _, v := range c.Values {
			out = append(out, FieldOption{Value: v.Name, Label: v.Name, Group: c.Name})
		}
	}
	return out
}

// OptionForm is the form behind a poll's "Waarde toevoegen" button: one
// field, the value.
func (b *Bot) OptionForm(pollID string) *Form {
	return &Form{ID: formOption, Poll: poll.NormalizeID(pollID), Title: b.msg.T("form.option.title"),
		Intro: b.msg.T("form.option.intro", poll.NormalizeID(pollID)), Submit: b.msg.T("form.option.submit"), Cancel: b.msg.T("button.cancel"),
		Fields: []Field{{Name: fieldValue, Kind: FieldText, Label: b.msg.T("form.option.value"),
			Placeholder: b.msg.T("form.other.placeholder"), MaxLength: 80}}}
}

// FormResult is the answer to a submitted form: either the fields that
// are wrong, each with a plain sentence to show beside it (nothing was
// created or changed), or the Reply the typed command would have given,
// for the adapter's AfterReply (which posts a new poll or redraws a
// changed one). A repeated submission of a form that made its poll
// already has neither: the form just closes.
type FormResult struct {
	Errors map[string]string
	Reply  Reply
}

// SubmitForm handles a submitted form: form and pollID as the Form had
// them, values by field name (a switch's or a choice's Value; several for
// FieldChoose and FieldFlags). It goes through the same parser and checks
// as the typed command. origin names this form on its platform (a Slack
// view ID, a dialog's nonce): the same origin never makes a second poll,
// so a form submitted twice, also to two instances of the bot, makes one.
func (b *Bot) SubmitForm(ctx context.Context, req Request, form, pollID string, values map[string][]string, origin string) FormResult {
	if b.polls == nil {
		return b.formRefused(fieldText, b.noPolls())
	}
	one := func(name string) string { return CleanInput(strings.Join(values[name], " ")) }
	switch form {
	case formOption:
		r := b.AddOption(ctx, req, pollID, one(fieldValue))
		if r.Status != Answered {
			return b.formRefused(fieldValue, r)
		}
		return FormResult{Reply: r}
	case formCasus, formStelling:
	default:
		return b.formRefused(fieldText, b.internal("form", errors.New("unknown form "+strconv.Quote(form))))
	}
	kind := poll.Values
	if form == formStelling {
		kind = poll.Statement
	}
	in := poll.Form{Text: one(fieldText), Settings: formSettings(values, kind)}
	if kind == poll.Values {
		list := slices.Clone(values[fieldValues])
		if other := one(fieldOther); other != "" {
			list = append(list, other)
		}
		in.Values = strings.Join(list, ", ")
	}
	p, err := b.polls.CreateFrom(ctx, person(req), kind, in, origin)
	switch {
	case errors.Is(err, poll.ErrDuplicate):
		b.log.Info("a form came again; its poll exists already", "origin", origin)
		return FormResult{}
	case err != nil:
		var r *poll.Refusal
		field := fieldText
		if errors.As(err, &r) {
			field = fieldOfRefusal(r.Key)
		}
		return b.formRefused(field, b.pollRefusal("create poll", err, nil))
	}
	return FormResult{Reply: b.started(ctx, p)}
}

// formSettings writes the form's switches, maximum, deadline and reminder
// as the settings a typed command starts with.
func formSettings(values map[string][]string, kind poll.Kind) string {
	var words []string
	for _, s := range []string{"anoniem", "verborgen", "aanvullen"} {
		if slices.Contains(values[fieldSettings], s) {
			words = append(words, s)
		}
	}
	if m := strings.TrimSpace(strings.Join(values[fieldMax], "")); m != "" && kind == poll.Values {
		words = append(words, "max="+m)
	}
	if d := strings.TrimSpace(strings.Join(values[fieldDeadline], " ")); d != "" {
		if datelike.MatchString(d) {
			words = append(words, "tot="+d)
		} else {
			words = append(words, "duur="+strings.Join(strings.Fields(d), ""))
		}
	}
	if d := strings.TrimSpace(strings.Join(values[fieldRemind], " ")); d != "" {
		words = append(words, "herinnering="+strings.Join(strings.Fields(d), ""))
	}
	return strings.Join(words, " ")
}

// datelike tells a date ("2026-12-01 17:00", "1-12-2026") from a span
// ("2d", "90 m") in the deadline field.
var datelike = regexp.MustCompile(`^\d{1,4}-\d{1,2}-\d{1,4}`)

// fieldOfRefusal is the form field a refusal of poll input is about.
func fieldOfRefusal(key string) string {
	switch {
	case key == "poll.bad_max":
		return fieldMax
	case strings.HasPrefix(key, "poll.remind"):
		return fieldRemind
	case slices.Contains([]string{"poll.two_deadlines", "poll.bad_duration", "poll.duration_positive", "poll.duration_long", "poll.bad_date", "poll.date_past", "poll.bad_setting"}, key):
		return fieldDeadline
	case slices.Contains([]string{"poll.none_proposed", "poll.few_options", "poll.many_options"}, key):
		return fieldValues
	case key == "poll.bad_switch" || key == "poll.stelling_open":
		return fieldSettings
	}
	return fieldText
}

// formRefused is r, a refusal, as the error of field.
func (b *Bot) formRefused(field string, r Reply) FormResult {
	return FormResult{Errors: map[string]string{field: Plain(r.Text)}}
}

// plainMarks are the bot's Markdown marks that a plain text drops.
var plainMarks = strings.NewReplacer("**", "", "`", "", "\\_", "_", "\\*", "*", "\\`", "`", "\\|", "|", "\\[", "[", "\\]", "]", "\\#", "#", "\\>", ">", "\\<", "<", "\\~", "~", "\\\\", "\\")

// Plain turns the bot's Markdown into plain text for a place that shows
// no formatting (a form's error): bold and code marks go, escaped
// characters stay as typed.
func Plain(md string) string {
	return strings.TrimSpace(plainMarks.Replace(md))
}
