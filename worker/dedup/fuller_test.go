package dedup

import (
	"strings"
	"testing"
)

var strike = []string{
	"Dockworkers at the port of Gothenburg walked out on Monday after talks between the harbour authority and the union collapsed over night-shift pay.",
	"Union delegate Jonas Berg told reporters at the harbour gates that the walkout would last until the authority withdrew its plan to cut crane crews.",
	"Harbour authority chief Maria Lindqvist said the plan followed a safety review and that the authority had offered the union a pay rise for night shifts.",
	"Shipping lines began diverting vessels to Aarhus and Oslo within hours, and forwarders warned that the strike in Gothenburg would delay car parts for Sweden.",
	"Berg said dockworkers had not been consulted on the safety review, and that the union would accept a mediator if Lindqvist put the crane plan on hold.",
	"Lindqvist rejected mediation on Monday evening, telling the union that the Gothenburg terminal would stay open with managers and temporary crane crews.",
}

var rockslide = []string{
	"Engineers closed the mountain railway between Narvik and Kiruna on Thursday after a rockslide buried two hundred metres of track near Riksgränsen.",
	"The operator said ore trains from the Kiruna mine would wait in sidings until geologists at LKAB had inspected the slope above the line.",
}

var cake = []string{
	"whisk four eggs with two hundred grams of sugar until pale and thick, then fold in the zest of three lemons and a pinch of salt before adding any flour.",
	"sift the flour with baking powder over the batter in three parts, folding gently each time, and pour it into a buttered tin lined with baking paper.",
}

func joinParas(ps ...[]string) string {
	var all []string
	for _, p := range ps {
		all = append(all, p...)
	}
	return strings.Join(all, "\n\n")
}

func TestFuller(t *testing.T) {
	tests := []struct {
		name      string
		old, next string
		want      bool
	}{
		{"full story after its trimmed copy", joinParas(strike[:3]), joinParas(strike), true},
		{"full story with a read-more line inside", joinParas(strike[:3]), joinParas(strike[:4], []string{"Read more: Port traffic rises."}, strike[4:]), true},
		{"dateline and credit added around the full story", joinParas(strike[:3]), "GOTHENBURG (Wire) - " + joinParas(strike) + "\n\nReporting by Anna Ek; Editing by Per Holm", true},
		{"same text is not fuller", joinParas(strike), joinParas(strike), false},
		{"shorter text is not fuller", joinParas(strike), joinParas(strike[:4]), false},
		{"another story with its own names appended", joinParas(strike), joinParas(strike, rockslide), false},
		{"another story inserted after the lead", joinParas(strike), joinParas(strike[:1], rockslide, strike[1:]), false},
		{"a recipe appended", joinParas(strike), joinParas(strike, cake), false},
		{"a recipe inserted", joinParas(strike), joinParas(strike[:2], cake, strike[2:]), false},
		{"a text that drops much of the stored one", joinParas(strike), joinParas(strike[:2], rockslide, cake), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Fuller(tc.old, tc.next); got != tc.want {
				t.Errorf("Fuller = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNames(t *testing.T) {
	got := names("Union delegate Jonas Berg said: The strike in Gothenburg goes on. Berg left. “Never,” said LKAB.")
	want := []string{"jonas", "berg", "gothenburg", "lkab"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("names = %v, want %v (sentence openers skipped)", got, want)
	}
}
