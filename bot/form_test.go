package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/waardenbot/waardenbot/bot"
)

func TestCasusWithoutTextOffersTheFormAndSaysHowToTypeIt(t *testing.T) {
	f := newFixture(t, bot.Config{})
	for cmd, want := range map[string][]string{"/casus": {"text", "values", "other", "settings", "max", "deadline", "remind"}, "/stelling": {"text", "settings", "deadline", "remind"}} {
		r := f.do("anna", "c1", cmd)
		if r.Status != bot.Refused || r.Form == nil || !strings.Contains(r.Text, "Typ na het commando de tekst") {
			t.Fatalf("%s: %+v", cmd, r)
		}
		var names []string
		for _, fld := range r.Form.Fields {
			names = append(names, fld.Name)
			if len([]rune(fld.Label)) > 24 {
				t.Errorf("%s: label %q is longer than 24 characters", cmd, fld.Label)
			}
		}
		if strings.Join(names, " ") != strings.Join(want, " ") || len([]rune(r.Form.Title)) > 24 {
			t.Errorf("%s: fields %v, title %q", cmd, names, r.Form.Title)
		}
	}
	values := f.do("anna", "c1", "/casus").Form.Fields[1]
	if values.Kind != bot.FieldChoose || len(values.Options) != 30 || values.Options[0].Group == "" {
		t.Errorf("the values field: %+v", values)
	}
}

func TestAFormGoesThroughTheCommandsParserWithErrorsByField(t *testing.T) {
	f := newFixture(t, bot.Config{})
	f.withRoster(map[string][]string{"c1": {"anna", "bob"}})
	req := req("anna", "c1")
	ok := map[string][]string{
		"text":     {"Anoniem melden van overlast: " + energie},
		"values":   {"Bestaanszekerheid", "Privacy"},
		"other":    {"toegankelijkheid"},
		"settings": {"verborgen"},
		"max":      {"2"},
		"deadline": {"2 d"},
	}
	tests := []struct {
		name, field, says string
		change            func(map[string][]string)
	}{
		{"no text", "text", "Typ na het commando", func(v map[string][]string) { delete(v, "text") }},
		{"one value", "values", "Ik las 1 waarde", func(v map[string][]string) { v["values"] = []string{"Privacy"}; delete(v, "other") }},
		{"eleven values", "values", "hooguit 10", func(v map[string][]string) {
			v["other"] = []string{"a, b, c, d, e, f, g, h, i"}
		}},
		{"a deadline in the past", "deadline", "al voorbij", func(v map[string][]string) { v["deadline"] = []string{"2026-01-01 10:00"} }},
		{"a deadline that is no span", "deadline", "begrijp ik niet", func(v map[string][]string) { v["deadline"] = []string{"morgen"} }},
		{"a date with junk after it", "deadline", "als sluittijd", func(v map[string][]string) { v["deadline"] = []string{"2026-12-01 17:00 uur"} }},
		{"a reminder without a deadline", "remind", "geef daarom ook", func(v map[string][]string) { delete(v, "deadline"); v["remind"] = []string{"2u"} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := map[string][]string{}
			for k, x := range ok {
				v[k] = x
			}
			tc.change(v)
			res := f.bot.SubmitForm(context.Background(), req, "casus", "", v, "test/"+tc.name)
			if len(res.Errors) != 1 || !strings.Contains(res.Errors[tc.field], tc.says) || res.Reply.Poll != nil {
				t.Errorf("errors %v, want one on %s saying %q", res.Errors, tc.field, tc.says)
			}
			if strings.ContainsAny(res.Errors[tc.field], "`*") {
				t.Errorf("the error is not plain text: %q", res.Errors[tc.field])
			}
		})
	}
	if l := f.do("anna", "c1", "/peilingen"); !strings.Contains(l.Text, "geen open peilingen") {
		t.Fatalf("a refused form made a poll:\n%s", l.Text)
	}
	res := f.bot.SubmitForm(context.Background(), req, "casus", "", ok, "test/ok")
	v := res.Reply.Poll
	if len(res.Errors) != 0 || !res.Reply.PostsPoll() || v == nil {
		t.Fatalf("a valid form: %+v", res)
	}
	if !strings.HasPrefix(v.Question, "Anoniem melden") || v.Anonymous || !v.Hidden || v.Max != 2 || len(v.Options) != 3 || v.Options[2].Label != "Toegankelijkheid" || v.ClosesAt.IsZero() {
		t.Errorf("the poll from the form: %+v", v)
	}
	// The same form again (a double click, a replayed request): one poll.
	again := f.bot.SubmitForm(context.Background(), req, "casus", "", ok, "test/ok")
	if len(again.Errors) != 0 || again.Reply.Poll != nil {
		t.Errorf("the second submission: %+v", again)
	}
	if l := f.do("anna", "c1", "/peilingen"); strings.Count(l.Text, "- `") != 1 {
		t.Errorf("open polls after two submissions:\n%s", l.Text)
	}
}

func TestTheAddValueFormAddsAsOptieDoes(t *testing.T) {
	f := newFixture(t, bot.Config{})
	id := f.mustPoll("anna", "c1", "/casus aanvullen "+energie+" | bestaanszekerheid, privacy").ID
	form := f.bot.OptionForm(id)
	if form.ID != "optie" || form.Poll != id || len(form.Fields) != 1 {
		t.Fatalf("form %+v", form)
	}
	res := f.bot.SubmitForm(context.Background(), req("bob", "c1"), form.ID, form.Poll, map[string][]string{"value": {"Privacy"}}, "x")
	if !strings.Contains(res.Errors["value"], "staat al in peiling") {
		t.Errorf("a duplicate: %v", res.Errors)
	}
	res = f.bot.SubmitForm(context.Background(), req("bob", "c1"), form.ID, form.Poll, map[string][]string{"value": {"leefbaarheid"}}, "y")
	if len(res.Errors) != 0 || !res.Reply.Changed || len(res.Reply.Poll.Options) != 3 {
		t.Errorf("an added value: %+v", res)
	}
}
