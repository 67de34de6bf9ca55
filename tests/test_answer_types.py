"""The asked-for kind of a question, and whether a sentence holds a new instance of it (small fixtures, no model)."""

from __future__ import annotations

import pytest

import bot.answering.answer_types as T
import bot.answering.asked as A
import bot.answering.lexicon as L
from bot.answering.answer_types import answer_spans, holds_answer
from bot.answering.asked import expected_type

AGE, COUNT, DATE, DURATION, MONEY = L.AGE, L.COUNT, L.DATE, L.DURATION, L.MONEY
NAME, OTHER, PERCENT, PERSON, PLACE = L.NAME, L.OTHER, L.PERCENT, L.PERSON, L.PLACE
SCORE = L.SCORE


@pytest.mark.parametrize(("question", "kind"), [
    ("Which DJs were picked to take over the late-night slot?", PERSON),
    ("Who replaced the home secretary?", PERSON),
    ("Which cabinet minister announced the cuts?", PERSON),
    ("How much did the company spend on the plant?", MONEY),
    ("What price did the buyer pay for the stake?", MONEY),
    ("How many jobs will go at the factory?", COUNT),
    ("When did the merger close?", DATE),
    ("In which year did she first win the title?", DATE),
    ("Where did the former minister die?", PLACE),
    ("Which town was the author born in?", PLACE),
    ("Which newspaper broke the story?", NAME),
    ("What percentage of the shares does it own?", PERCENT),
    ("How long was the striker banned for?", DURATION),
    ("What length of ban did the sprinter receive?", DURATION),
    ("At what age did he become manager?", AGE),
    ("Why is the research centre closing?", OTHER),
    ("Name one of the places affected by that decision.", PLACE),  # an imperative asks "which places"
    ("List the DJs who took over the slot.", PERSON),
    ("What offence was the politician accused of?", OTHER),
    ("Which constituency is represented by the MP who crossed the floor?", PLACE),
    ("And which actor in it was honoured for his lead performance?", PERSON),  # the noun ends at "in it"
    ("Which company's technology powers its speech functions?", NAME),  # a company's thing: a company
    ("Which Athens hospital did the cyclist reach?", PLACE),
    ("How much a week will the striker earn under his new contract?", MONEY),  # a rate, still an amount
    ("How much per share did the brewer offer for its rival?", MONEY),
    ("What was the final score of the tie in Tel Aviv?", SCORE),
    ("Which former DJ wrote Grief Never Grows Old, the charity single?", PERSON),  # a title's "Never"
    ("Which chips does the firm never use?", L.ABSENT),
    ("Which May Department Stores boss resigned in January?", PERSON),  # a capitalised "May" is a name
    ("What did Primer, the festival winner, cost to make?", MONEY),
    ("What did it actually cost the studio to make the film?", MONEY),  # an adverb before "cost" (corpus-gen4 e19)
    ("What did the cost-cutting plan include?", OTHER),
    ("Which Italy prop scored a late try?", PERSON),
    ("Which gallery is testing the browsing tool?", NAME),
    ("How much money did the singer's family receive in the settlement?", MONEY),  # money is an amount
    ("How much cash did the club raise from the sale?", MONEY),
    ("What were the total assets of the bank at the end of 2004?", MONEY),  # the head is "assets"
    ("How heavy is the new robot?", L.PHYSICAL),
    ("How far did shares in the drug maker fall?", L.NUMBER),  # a change: a percentage as often as not
    ("How far above the offer price were the shares trading?", L.NUMBER),  # a difference, not a distance
    ("Which French club's offer did the hooker consider?", NAME),  # the club whose offer it was, not the offer
    ("What was England's half-time lead over France?", OTHER),  # England's: the owner is named, the lead is asked
    ("Which Premier League rule would the club have breached?", OTHER),  # "Premier" is a name's, not a premier
    ("What will visitors pay for an hour of the new service?", MONEY),
    ("What does the central bank think rebuilding will cost the country?", MONEY),
    ("What income tax rate will they pay on declared wealth?", L.NUMBER),  # the head is the rate, not the income
    ("What rate of software piracy does the trade group estimate for China?", L.NUMBER),  # a rate of X: a figure
    ("How much recovery time did the coach say his side had?", DURATION),  # time is a length, not a sum
    ("What figure does the union want the minimum wage raised to?", L.NUMBER),  # a bare figure is a number
    ("What sales figure did the carmaker report for March?", L.NUMBER),
    ("Which Labour figure criticised the poster?", PERSON),  # a figure known in a named field is a person
    ("Which former IMF figure will run the bank?", PERSON),
    ("Which side did the champions beat in the semi-final?", NAME),  # a side or squad is a team
    ("What pay rise are the drivers demanding?", L.NUMBER),  # a change to pay: a sum or a percentage
    ("What pay did the drivers get?", MONEY),
    ("How much data will the disc hold?", L.MEASURE),  # so many gigabytes, not money
    ("At which airbase did the plane land?", PLACE),
    ("How far into the match did Ireland first attack?", DURATION),  # a time into it, not a distance
    ("What surname was the writer born with?", NAME),
])
def test_expected_kind(question: str, kind: str) -> None:
    assert expected_type(question).kind == kind


def spans(sentence: str, question: str) -> list[str]:
    """The instance texts a sentence offers as answers."""
    return [sentence[a:b] for a, b in answer_spans(sentence, expected_type(question), question)]


def test_who_question_needs_a_name_the_question_does_not_contain() -> None:
    question = "Which DJs were picked to take over John Peel's late-night slot on Radio 1?"
    restating = "The three DJs had been chosen to take over John Peel's slot for their musical knowledge."
    answering = "The slot will be shared by Huw Stephens, Ras Kwame and Rob Da Bank from February."
    assert not holds_answer(restating, expected_type(question), question)
    assert "Huw Stephens" in " ".join(spans(answering, question))


def test_an_age_is_not_the_money_asked_for() -> None:
    question = "How much money did the singer's family receive in the settlement?"
    assert spans("The 22-year-old singer's family came to an undisclosed settlement in 2003.", question) == []


def test_a_distance_speed_or_weight_is_a_quantity_with_its_unit() -> None:
    assert spans("The robot was first shown five years ago.", "What is the total weight of the robot?") == []
    assert spans("It can now run at 6km/h, twice as fast.", "How fast can the robot run?") == ["6km/h"]
    assert spans("He shot from 50 yards out.", "From how far out did he shoot?") == ["50 yards"]
    assert spans("The club made a loss of £3m.", "How big a loss did the club make?") == ["£3m"]  # not a size


def test_a_count_answer_names_what_it_counts() -> None:
    def short(sentence: str, question: str) -> str:
        start, end = answer_spans(sentence, expected_type(question), question)[0]
        return sentence[start : T.counted_end(sentence, end, question)]

    assert short("The cap had 64 electrodes to read brain waves.", "How many electrodes did the cap have?") \
        == "64 electrodes"
    assert short("It will bring 200 new jobs to the plant.", "How many extra posts will it bring?") == "200 new jobs"
    assert short("It sold 64 in all, to 12 buyers.", "How many cars did it sell?") == "64"  # nothing counted follows
    assert short("Enrolment rose to 400 (students said so).", "How many students enrolled?") == "400"  # not past "("


def test_a_rate_may_be_given_for_one_unit_or_apiece() -> None:
    assert spans("It will be priced at £4.50 for an hour's session or £35 for a month.",
                 "What will visitors pay for an hour of the service?") == ["£4.50"]
    assert spans("It will buy back shares at 570 rupees (£6.80; $13) apiece.",
                 "What price per share will the company pay?") == ["570 rupees (£6.80; $13)"]


def test_the_noun_of_a_which_phrase_ends_where_a_clause_starts() -> None:
    assert expected_type("What were the vote tallies when MPs approved the bill?").kind == OTHER  # not "MPs"


def test_a_camel_cased_brand_is_a_name() -> None:
    assert spans("Security firm iDefence warned of the flaw.", "Which security company warned of the flaw?") \
        == ["iDefence"]


def test_how_many_question_needs_a_count() -> None:
    question = "How many parameters does the new model have?"
    assert not holds_answer("The new model has a great many parameters, its makers say.", expected_type(question),
                            question)
    assert spans("The model has 671 billion parameters.", question) == ["671 billion"]


def test_how_much_question_needs_an_amount_not_the_questions_own() -> None:
    question = "How much did the firm pay for its £100m rival?"
    assert spans("The firm bought its £100m rival last year.", question) == []
    assert spans("It paid £120m for the £100m rival.", question) == ["£120m"]


def test_when_question_finds_dates_and_where_finds_places() -> None:
    assert spans("The deal runs until May 2008, the club said.", "Until when does the deal run?") == ["May 2008"]
    assert spans("Born in Luton in 1920, he emigrated later.", "Where was he born?") == ["Luton"]


def test_names_skip_opening_words_demonyms_and_acronyms_for_people() -> None:
    question = "Who chairs the committee?"
    assert spans("Despite the row, British MPs backed the plan.", question) == []
    assert spans("The committee is chaired by Gwyneth Dunwoody.", question) == ["Gwyneth Dunwoody"]


def test_untyped_question_accepts_any_sentence() -> None:
    question = "What offence was he accused of?"
    assert holds_answer("He was accused of incitement to racial hatred.", expected_type(question), question)


def test_an_outcome_question_is_not_answered_by_a_plan_or_forecast() -> None:
    outcome = "On what date did the royal wedding finally take place?"
    assert spans("The couple are to be married on 8 April, the palace said.", outcome) == []
    assert spans("The new system is due to appear in 2006.", "When did the new system eventually go on sale?") == []
    assert spans("The browser is due for release later this year.", "When did the browser finally go on sale?") == []
    assert spans("The browser went on sale on 3 March.", "When did the browser finally go on sale?") == ["3 March"]
    assert spans("The couple were married on 9 April in Windsor.", outcome) == ["9 April"]
    takeover = "How much did the takeover cost him in the end?"
    assert spans("The approach could lead to a bid valuing the club at £800m.", takeover) == []
    assert spans("After weeks of talks he paid £790m for the club.", takeover) == ["£790m"]


def test_a_plain_past_question_refuses_guesses_but_takes_settled_arrangements() -> None:
    paid = "How much did the carmaker pay its partner to end the deal?"
    assert spans("Analysts said the carmaker could pay as much as $3bn.", paid) == []
    assert spans("The carmaker is to pay its partner $2bn to end the deal.", paid) == ["$2bn"]
    assert spans("The carmaker will pay $2bn.", "How much will the carmaker pay?") == ["$2bn"]  # future asked


def test_a_count_is_not_a_length_of_time() -> None:
    question = "How many copies did the book sell on its first day?"
    assert spans("It topped the chart less than 24 hours after its release.", question) == []
    assert spans("It sold 2 million copies in 24 hours.", question) == ["2 million"]
    assert spans("Calls will be free at 350 hotspots.", "How many hotspots will offer free calls?") == ["350"]
    assert spans("He had been in charge for 13 games.", "How many games had he been in charge for?") == ["13"]


def test_a_count_is_not_a_measure_in_a_unit() -> None:
    """"between one and 100 gigabytes of files" counts no members; "how many barrels" is answered in barrels."""
    members = "How many members belonged to the piracy group?"
    assert spans("Membership demanded that users share between one and 100 gigabytes of files.", members) == []
    assert spans("The group had 8,000 members sharing five or ten gigabytes each.", members) == ["8,000"]
    assert spans("Some 1,200 jobs will go and the 40 hectares site will close.", "How many jobs will go?") == ["1,200"]
    assert spans("Russia pumps nine million barrels a day.", "How many barrels does Russia pump a day?") == [
        "nine million"]
    assert spans("The mall's 120 shops cover 1.5 million square feet.", "How many shops does the mall have?") == ["120"]


def test_a_person_named_by_the_question_is_not_its_answer() -> None:
    picked = "Which former IMF figure did Ariel Sharon pick to run the central bank?"
    assert spans("His nomination by Prime Minister Ariel Sharon came as a surprise.", picked) == []
    assert spans("Stanley Fischer has agreed to take the job.", picked) == ["Stanley Fischer"]
    assert spans("Tony Blair dismissed the questions.", "Which peer serves in the Blair government?") == []
    born = "Which Bedfordshire town was the novelist born in?"
    assert spans("Born in Luton, Bedfordshire, on 5 April 1920, he was an only child.", born) == [
        "Luton, Bedfordshire"]


def test_a_where_question_wants_a_place_something_is_in_or_at() -> None:
    where = "Where will that game be played?"
    assert spans("Former England captain Martin Johnson is to retire.", where) == []
    assert spans("Johnson captained England to World Cup glory.", where) == []
    assert spans("His final match will be his testimonial at Twickenham on 4 June.", where) == ["Twickenham"]
    assert spans("He passed away at home in East Sussex.", "Where did he die?") == ["East Sussex"]
    assert spans("Slovakia beat Argentina in the final.", "Which nation won the cup?") == ["Slovakia", "Argentina"]


def test_a_person_is_not_an_institution_a_party_or_a_title() -> None:
    """A who-question is not answered by "Welsh Rugby Union"; titles and parties before a name are not the name."""
    question = "Who is the head coach of the national side?"
    assert spans("The side is a casualty of the Welsh Rugby Union's reorganisation.", question) == []
    assert spans("Balco (The Bay Area Laboratory Cooperative) is the company at the centre.", question) == ["Balco"]
    assert spans("Prime Minister Tony Blair met Labour MP Stephen Pound and Shadow home secretary David Davis.",
                 question) == ["Tony Blair", "Stephen Pound", "David Davis"]
    assert spans("The 33-year-old received the ban last month.", question) == []



def test_a_one_word_name_after_the_is_a_description_not_a_person() -> None:
    """"the Dane's agent" describes Gravesen by nationality: no answer to which official backs the signing."""
    question = "Which Real Madrid official has backed signing the Everton midfielder?"
    assert spans("Real are closing in on a deal after the Dane's agent travelled to Spain.", question) == []
    assert spans("Sporting director Arrigo Sacchi has backed the move.", question) == ["Arrigo Sacchi"]
    assert spans("The ruling class before them were the Anglo-Saxons.", "Who ruled before them?") == ["Anglo-Saxons"]
    assert spans("He has the clear support of the Lagardere group.", "Who backs him?") == ["Lagardere"]


def test_model_names_are_not_amounts_of_money() -> None:
    """"R1" is a model and "910C" a chip, not rand or cents; "50p", "20c" and "R50m" are money."""
    question = "How much did DeepSeek spend to train its model?"
    assert spans("DeepSeek's R1 model runs on Huawei's Ascend 910C chips.", question) == []
    assert spans("Fuel rose 50p a litre, a 20c rise, after a R50m deal.", question) == ["50p", "20c", "R50m"]


def test_an_amount_and_its_conversions_are_one_amount() -> None:
    """News copy gives a foreign sum in other currencies too; the bracket belongs to the amount."""
    question = "How much did General Motors pay Fiat?"
    sentence = "General Motors is to pay Fiat 1.55bn euros ($2bn; £1.1bn) to get out of the deal."
    assert spans(sentence, question) == ["1.55bn euros ($2bn; £1.1bn)"]
    assert spans("It paid £5m (about $9m) for it.", question) == ["£5m (about $9m)"]
    assert spans("It paid £5m, and $9m more (it said) later.", question) == ["£5m", "$9m"]
    assert spans("Profits were cut by $5bn (£2.6bn).", "By how much were profits cut?") == ["$5bn (£2.6bn)"]


def test_an_age_is_not_a_length_of_time() -> None:
    question = "What length of ban did the sprinter receive?"
    assert spans("The 33-year-old received an eight-year ban.", question) == ["eight-year"]
    assert spans("The 33 year old sprinter was banned.", question) == []


def test_the_fuller_reading_of_a_phrase_is_the_instance() -> None:
    """"at 18" and "18 years and 187 days" are one age; "120,000" and "120,000 people" one measure."""
    question = "What age was Nadal when he became the youngest ever champion?"
    sentence = "Nadal, who at 18 years and 187 days becomes the youngest ever champion, wept."
    assert spans(sentence, question) == ["at 18 years and 187 days"]
    sentence = "About 120,000 people are expected at the show."
    assert [sentence[a:b] for a, b in T.instances(sentence, L.MEASURE)] == ["120,000 people"]


@pytest.mark.parametrize(("text", "is_vague"), [
    ("Thousands", True), ("hundreds of", True), ("dozens", True), ("120,000", False), ("two million", False),
    ("a dozen", False),
])
def test_vague_quantities(text: str, is_vague: bool) -> None:
    assert T.vague(text) is is_vague


def test_an_age_said_plainly_or_in_apposition_is_an_age() -> None:
    question = "How old was he when he died?"
    assert spans("He was 84, had been ill for months, and died at home.", question) == ["was 84"]
    assert spans("Sir Anthony Meyer, 84, died on Monday.", question) == ["84"]
    assert spans("Profits were 84m and the score was 2-1.", question) == []


def test_the_plural_of_the_questions_own_name_is_not_new() -> None:
    """"Brit Award" is the question's own "Brit Awards"; the band that won is new."""
    question = "Which New York band was the big winner at the 2005 Brit Awards?"
    assert spans("They were the surprise winners of the Brit Award for best breakthrough act.", question) == []
    assert spans("US band Scissor Sisters led the winners at the Brit Awards.", question) == ["Scissor Sisters"]


def test_a_name_does_not_end_in_a_linking_word() -> None:
    question = "On which cruise ship are new identity cards for seafarers being tried out?"
    sentence = "The cards follow the UN Convention on Seafarers' Identity Documents of June 2003."
    assert "Seafarers' Identity Documents" in spans(sentence, question)
    assert not any(s.endswith(" of") for s in spans(sentence, question))


def test_the_owner_of_the_asked_for_thing_is_not_it() -> None:
    """In "Tony Blair's former spin doctor" Tony Blair is whose spin doctor it is, not the spin doctor."""
    question = "Which former Downing Street spin doctor has been hired to handle the media for the tour?"
    owner = "Woodward's decision to call in Prime Minister Tony Blair's former spin doctor surprised the players."
    assert "Tony Blair" not in spans(owner, question)
    named = "Former government communications chief Alastair Campbell will act as a media consultant."
    assert spans(named, question) == ["Alastair Campbell"]


def test_a_country_is_not_the_person_a_head_noun_asks_for() -> None:
    """"Which spin doctor" is not answered by "Australia"; a bare "who won" may be answered by a country."""
    sentence = "Campbell worked with Woodward on the last Lions tour to Australia and New Zealand."
    assert "Australia and New Zealand" not in spans(sentence, "Which spin doctor worked with the Lions coach?")
    assert spans("In the final, France beat Spain.", "Who won the final?") == ["France", "Spain"]
    assert T.places_only("Afghanistan and Kosovo") and not T.places_only("Alastair Campbell")


def test_a_question_for_a_nickname_or_slogan_takes_the_quoted_phrase_whole() -> None:
    """"What phrase …" is answered by the words in quotation marks, lower-case or led by a demonym alike."""
    phrase = "What phrase did Michael Howard use to brand Gordon Brown's pre-election Budget?"
    assert spans('Mr Howard said it was a "vote now, pay later" Budget.', phrase) == ["vote now, pay later"]
    nickname = "What nickname did many give Ahold when its accounting scandal first broke?"
    assert spans("Ahold was dubbed \"Europe's Enron\" when the scandal broke.", nickname) == ["Europe's Enron"]
    label = "What nickname has Huawei said it wants to earn?"
    assert spans('Huawei wants to become the "Chinese Nvidia," it said.', label) == ["Chinese Nvidia"]
    title = "What is the title of the BBC2 documentary profiling the Tory leader?"
    assert "set loose" not in spans('Aides would be "set loose" on Michael Howard.', title)  # speech, not a title


def test_a_country_does_not_answer_a_question_for_a_place_inside_one() -> None:
    """"In which Danish city …" is not answered by "Denmark"; a city-state is its own city; "which country" still is."""
    city = "In which Danish city will the contest be staged?"
    assert spans("Denmark will stage the contest in Copenhagen.", city) == ["Copenhagen"]
    assert spans("The summit will be held in Singapore.", "In which city will the summit be held?") == ["Singapore"]
    assert spans("The contest will be staged in Denmark.", "Which country will stage the contest?") == ["Denmark"]
    assert T.within_a_country("constituency", "UK") and not T.within_a_country("island", "Seychelles")


def test_buildings_and_grounds_are_places_inside_a_country() -> None:
    """"Which Athens hospital" asks for a place (it was untyped: "nine and a half hours" led); "Kenya" is no park."""
    assert A.expected_type("Which Athens hospital did the cyclist eventually reach?").kind == PLACE
    assert A.expected_type("Which church does the Reverend Adrian Rodgers belong to?").kind == PLACE
    park = "What is the name of the Nairobi park where the MP was robbed by six men?"
    assert spans("He was robbed by six men in Kenya, police said.", park) == []
    church = "Which church does the Reverend Adrian Rodgers belong to?"
    assert spans("Mr Rodgers, of the Fullness of Joy Church, urged a boycott.", church) == [
        "Fullness of Joy Church"]


def test_a_country_used_as_a_place_does_not_answer_a_bare_who() -> None:
    """"Refugees from Afghanistan and Kosovo" names where they came from, not who replaced anyone."""
    sentence = "He told refugees from Afghanistan and Kosovo to go back home, Mr Reid said."
    assert spans(sentence, "Who replaced David Blunkett at the Home Office?") == ["Reid"]
    assert spans("In the final, France beat Spain in Portugal.", "Who won the final?") == ["France", "Spain"]


def test_places_hold_cldr_territories() -> None:
    """places.txt is CLDR's English territory names (as babel ships them) plus the UK's nations."""
    from babel import Locale

    territories = {name.lower() for name in Locale("en").territories.values()}
    assert territories <= T.places() and {"england", "scotland", "wales"} <= T.places()
    assert {"us", "usa", "uk"} <= T.places()  # the short forms news copy uses
    question = "What new name did American Express Financial Advisors take after the spin-off?"
    assert spans("The US credit card giant said the move would boost profits.", question) == []


def test_a_name_introduced_by_the_asked_for_noun_phrase() -> None:
    """"the luxury cruise liner Crystal Harmony" says which cruise ship; "UN Convention" is not introduced so."""
    question = "On which cruise ship are new identity cards for seafarers being tried out?"
    phrase = A.asked_phrase(question, expected_type(question))
    assert phrase == {"cruise", "ship"}
    sentence = "The luxury cruise liner Crystal Harmony is the setting for tests under the UN Convention."
    found = {sentence[a:b]: (a, b) for a, b in answer_spans(sentence, expected_type(question), question)}
    assert T.introduced(sentence, found["Crystal Harmony"], phrase)
    assert not T.introduced(sentence, found["UN Convention"], phrase)
    assert A.asked_phrase("How much did it cost?", expected_type("How much did it cost?")) == frozenset()
    chips = "Which Nvidia chips was the model trained on?"
    assert A.asked_phrase(chips, expected_type(chips)) == {"chip"}  # "Nvidia" is the question's own name
    made = "It runs on the new home Chinese chips made by Huawei."
    assert not T.introduced(made, (made.index("Huawei"), len(made) - 1), {"chip"})


def test_the_words_before_a_role_name_its_team_not_the_person() -> None:
    """"Tottenham manager Jacques Santini" and "Work and Pensions Secretary Alan Johnson" name one person each."""
    question = "Who replaced the manager who resigned?"
    assert spans("Tottenham manager Jacques Santini has resigned.", question) == ["Jacques Santini"]
    assert spans("The plan came from Work Secretary Alan Johnson.", question) == ["Alan Johnson"]
    assert spans("Sir Clive Woodward named his squad.", question) == ["Clive Woodward"]


def test_a_question_about_what_will_happen_is_not_answered_by_a_date_already_past() -> None:
    """"Who captained England to glory in 2003" is done; the match "will" be played on the later date."""
    sentence = "Johnson, who captained England to glory in 2003, will play his final match at Twickenham on 4 June."
    assert spans(sentence, "When will Johnson play the last match of his career?") == ["4 June"]
    assert spans(sentence, "When did Johnson captain England to glory?") == ["2003", "4 June"]
    planned = "The testimonial, scheduled for 4 June, was announced in 2004."
    assert spans(planned, "When will the testimonial be played?") == ["4 June"]



def test_a_question_about_what_will_happen_or_is_planned_is_not_answered_by_what_was_done() -> None:
    """Any kind, not only dates: the chips a cluster "employed" are not the chips Huawei plans to make."""
    plan = "How many Ascend 910C chips does Huawei plan to manufacture in 2025?"
    used = "Researchers employed a computing cluster featuring approximately 1,000 Huawei Ascend 910C chips."
    assert spans(used, plan) == []
    assert spans("Huawei plans to make 100,000 Ascend 910C chips in 2025.", plan) == ["100,000"]
    assert spans(used, "How many Ascend 910C chips did the researchers employ?") == ["1,000"]
    bodies = "Roughly how many public bodies will people be able to request information from?"
    held = "It provides a right of access to information held by about 100,000 public bodies."
    assert spans(held, bodies) == ["100,000"]  # "held by": a participle, nothing done
    watch = "For how long will US authorities keep a close watch on the company's business practices?"
    agreed = "Monsanto also agreed to three years' close monitoring of its business practices by the authorities."
    assert spans(agreed, watch) == ["three years"]  # an agreement looks ahead


def test_a_future_in_a_relative_or_reported_clause_is_not_the_questions() -> None:
    assert A.future_question("How many chips does Huawei plan to make?")
    assert A.future_question("Who is the coach Marat Safin hopes will keep working with him?")
    assert not A.future_question("Which developer is headed by Robert Walsh, who warned that games will cost more?")
    assert not A.future_question("How much did shares jump after it announced plans to spin off its arm?")
    assert not A.future_question("When did Blair reverse his plan to quit before the election?")

def test_the_thing_a_name_or_title_question_asks_about() -> None:
    """"The title of the … theme tune" asks for the tune's name; "which firm said it had" asks about a firm."""
    title = "What was the title of the Beverly Hillbillies theme tune sung by Jerry Scoggins?"
    phrase = A.asked_phrase(title, expected_type(title))
    assert {"theme", "tune"} <= phrase and "beverly" not in phrase
    sentence = "He approached the producers with theme tune The Ballad of Jed Clampett for the pilot."
    start = sentence.index("The Ballad")
    assert T.introduced(sentence, (start, start + len("The Ballad of Jed Clampett")), phrase)
    assert expected_type("Which security firm said it had blocked a million copies?").noun == "firm"
    assert expected_type("What is the biggest fine the company could face?").kind == MONEY  # "the company …" relative
    assert expected_type("What were Cadbury Schweppes' underlying pre-tax profits for 2004?").kind == MONEY
    assert expected_type("What was the reported cost of DeepSeek's model?").noun == "cost"
    # who says so is no part of what is asked
    assert expected_type("What did DeepSeek's R1 model reportedly cost, according to the coverage?").kind == MONEY
    assert expected_type("In which city was Keanu Reeves born, according to the report?").noun == "city"
    # "which version of the chip" asks for a chip; an unknown thing after it leaves the version asked about
    assert expected_type("Which version of Huawei's Ascend chip is DeepSeek using?").noun == "chip"
    assert expected_type("Which version of the Opera browser can be controlled by voice?").noun == "version"
    assert expected_type("Which book took the top award in the under-five category?").noun == "book"
    assert expected_type("Which producers of The Aviator were named as nominees?").kind == PERSON  # not "of"
    assert expected_type("What length of ban did the sprinter receive?").kind == DURATION  # a partitive
    assert expected_type("What height did Yelena Isinbayeva clear to win gold?").kind == L.PHYSICAL


def test_a_possessive_after_the_asked_nouns_verb_is_not_the_asked_noun_phrase() -> None:
    """"Which magazine put Apple's Powerbook …" asks for a magazine; "which French club's offer" for a club."""
    question = "Which American magazine put Apple's Powerbook 100 at the top of its all-time gadget list?"
    assert expected_type(question).noun == "magazine"
    sentence = "The Apple Powerbook 100 has been chosen as the greatest gadget of all time, by US magazine Mobile PC."
    assert spans(sentence, question) == ["Mobile PC"]
    assert expected_type("Which French club's offer did he accept?").noun == "club"
    assert expected_type("Which company's technology was used?").noun == "company"


def test_who_did_it_is_named_by_the_doer_noun_and_an_appositive_introduces_a_name() -> None:
    """"Who directed Sins?" is answered by "The director of the film, Vinod Pande, says …"."""
    question = "Who directed Sins, the Bollywood film about a priest?"
    phrase = A.asked_phrase(question, expected_type(question))
    assert "director" in phrase
    sentence = "The director of the film, Vinod Pande, says the movie is not offensive."
    start = sentence.index("Vinod")
    assert T.introduced(sentence, (start, start + len("Vinod Pande")), phrase)
    other = "The president of the group, Dolphy D'Souza, says the film is offensive."
    start = other.index("Dolphy")
    assert not T.introduced(other, (start, start + len("Dolphy D'Souza")), phrase)
    assert A.asked_phrase("Who was elected?", expected_type("Who was elected?")) == frozenset()


def test_what_it_cost_asks_for_money_and_a_follow_ups_carried_topic_is_not_read_as_grammar() -> None:
    assert expected_type("What was it rumoured to have cost to make?").kind == MONEY
    assert expected_type("What is that dam costing to build?").kind == MONEY
    assert expected_type("What was it rumoured to have cost to make? [Oliver Stone, Alexander, US]").kind == MONEY
    assert expected_type("Who replaced him? [Jacques Santini, Spurs]").kind == PERSON
    assert expected_type("How much of that covers the former Columbia businesses?").kind == L.NUMBER  # a part: a sum
    # or a share
    assert expected_type("Which river is the dam being built on?").kind == PLACE
    leading = "When Google's toolbar finds a licence plate on a web page, which company does it link to?"
    assert expected_type(leading).kind == NAME and expected_type("When, exactly, did it close?").kind == DATE
    people = "How many people does the mining group UK Coal employ?"
    assert spans("UK Coal operates 15 deep and surface mines across the north.", people) == []  # no people
    assert spans("The group employs some 5,000 miners.", people) == ["5,000"]
    assert spans("About 120,000 people are expected.", "How many visitors were expected at the show?") == ["120,000"]
    assert spans("It is Asia's third largest economy.", "How many branches does the bank operate?") == []
    assert A.counted_noun("Roughly how many visitors a year does EuroDisney attract?") == "visitors"
    assert A.counted_noun("How many American adults own an MP3 player?") == "adults"
    born = "On what date was Gordon Brown born?"
    assert spans("Brown became the longest-serving chancellor in 2004.", born) == []  # a year is not a date
    assert spans("Gordon Brown was born in Glasgow on 20 February 1951.", born)[0] == "20 February"
    assert spans("It is one of South Korea's main banks.", "How many branches does the bank operate?") == []
    owens = "Which athletes won the Jesse Owens Awards for 2003?"
    assert spans("Justin Gatlin and Joanna Hayes have won the 2004 Jesse Owens Awards.", owens) == []  # 2004's
    assert spans("Tim Montgomery won the 2003 award, and Gatlin won in 2004.", owens) == ["Tim Montgomery", "Gatlin"]
    films = "How many British films were produced in the UK in 2004?"  # "last year" may be 2004
    made = "Twenty-seven British films were made last year, compared with 45 in 2003."
    assert spans(made, films)[0] == "Twenty-seven"
    age = "At what age is Martina Navratilova prolonging her tennis career?"
    assert spans("She has defended her decision to play on at the age of 48.", age) == ["age of 48"]


def test_an_acronym_of_the_questions_own_words_is_not_new() -> None:
    """"AEFA" is the question's "American Express Financial Advisors"; "TGWU" its "Transport … Union"."""
    question = "What new name did American Express Financial Advisors take after the spin-off?"
    assert spans("AEFA will be renamed Ameriprise Financial in the autumn.", question) == ["Ameriprise Financial"]
    merged = "What name was chosen for the union formed by merging Amicus and the TGWU?"
    sentence = "Amicus and the Transport and General Workers Union will join with the GMB."
    assert spans(sentence, merged) == ["GMB"]
    state = "In which US state did she give the lecture?"  # the acronym's first word counts too
    assert spans("She spoke during a United States lecture tour in Massachusetts.", state) == ["Massachusetts"]


def test_a_date_still_ahead_does_not_answer_what_finally_happened() -> None:
    question = "On what date did the handheld finally go on sale in Europe?"
    assert spans("The handheld goes on sale in Europe next year.", question) == []
    assert spans("The handheld went on sale in Europe on 1 September.", question) == ["1 September"]


def test_events_and_place_phrases_are_not_people() -> None:
    question = "Who was the coach of the two Greek sprinters?"
    assert spans("The pair missed a drugs test on the eve of the Athens Olympics.", question) == []
    runner_up = "Who finished runner-up to Hayley Yelling in the women's race?"
    sentence = "Jolene Byrne was second behind Yelling in Bute Park."
    assert spans(sentence, runner_up) == ["Jolene Byrne"]


def test_an_intention_or_a_likelihood_does_not_answer_what_happened() -> None:
    """"Sony intends to ship three million" is not how many it sold; the figure may be the clause's subject."""
    sold = "How many consoles did Sony sell?"
    assert spans("Sony says it intends to ship three million of the consoles.", sold) == []
    assert spans("The console is likely to cost £130.", "What was the console's launch price?") == []
    outcome = "How many MPs ended up voting against the bill?"
    assert spans("Up to 30 Labour MPs could oppose the scheme.", outcome) == []
    assert spans("In the end 19 Labour MPs voted against it.", outcome) == ["19"]
    winning = "What was the winning bid in the auction of space on his forehead?"
    assert spans("He has had 39 bids, with the largest bid currently at more than $322.", winning) == []  # interim
    assert spans("The auction closed with a bid of $37,375.", winning) == ["$37,375"]
    recovered = "How much did the singer eventually recover from insurers?"
    assert spans("She is now seeking to be reimbursed for the tour's £5m costs.", recovered) == []  # "-ing" too
    assert spans("Insurers finally paid her £5m.", recovered) == ["£5m"]
    given = "What prison sentence was the former agent given?"
    assert spans("The charges carry sentences of up to 20 years.", given) == []  # what he might get
    assert spans("He faces a maximum of 20 years in jail.", given) == []
    next_match = "Which team were the Republic of Ireland due to play next in Dublin?"
    assert spans("Ireland face minnows the Faroe Islands in Dublin on Wednesday.", next_match) == ["Faroe Islands"]
    target = "On what date was Wilkinson targeting a return against Harlequins?"  # the question asks for the plan
    assert spans("Wilkinson is aiming to return against Harlequins on 13 March.", target) == ["13 March"]
    assert spans("He was jailed for 20 years on Friday.", given) == ["20 years"]


def test_who_won_is_answered_only_by_a_sentence_that_reports_a_result() -> None:
    """A preview names the contenders with the question's words; only a result names the winner."""
    won = "Who won the 2005 series of Celebrity Big Brother?"
    preview = "The current series of Celebrity Big Brother ends on Sunday, with Bez and Brigitte Nielsen competing."
    assert spans(preview, won) == []
    assert spans("Happy Mondays star Bez won the 2005 series of Celebrity Big Brother.", won) == ["Bez"]
    assert spans("Bez was crowned champion on Sunday.", won) == ["Bez"]
    game = "Which BBC game won best online entertainment at the Interactive Baftas?"
    assert spans("The BBC collected best online entertainment for the Galaxy Adventure Game.", game) != []
    elected = "Who was elected as the first Lord Speaker?"
    assert spans("Betty Boothroyd has said the Lords needs its own Speaker.", elected) == []
    assert spans("Helene Hayman was chosen by peers as the first Lord Speaker.", elected) == ["Helene Hayman"]
    voted = "Which blog was voted blog of the year at the Bloggies?"  # a vote's result, not a nomination
    assert spans("There are four nominations for the Tsunami Blog.", voted) == []
    assert spans("The Tsunami Blog was voted blog of the year.", voted) == ["Tsunami Blog"]
    caps = "How many caps did the forward win before retiring?"  # what was won, not who won: any count
    assert spans("The 36-year-old, who has 54 caps, retired on Friday.", caps) == ["54"]


def test_a_question_about_the_plan_itself_is_answered_by_it() -> None:
    question = "How many visitors were expected at the show?"
    assert spans("About 120,000 people are expected to attend this year.", question) == ["120,000"]


def test_a_rate_question_is_answered_by_an_amount_at_that_rate() -> None:
    """"How much a week" is not answered by a bid's total; "31p a share" answers "what price per share"."""
    week = "How much a week will the striker earn under his new contract?"
    assert spans("The club's owner made an £800m ($1.5bn) bid; the striker will earn £50,000 a week.", week) == [
        "£50,000"]
    share = "What price per share did the chairman pay for the stake?"
    assert spans("He paid £1.5m for the stake, or 31p a share.", share) == ["31p"]
    year = "How much a year would the freeze save?"
    assert spans("The freeze would save £3bn pounds a year, he said.", year) == ["£3bn"]



def test_per_makes_a_rate_of_any_unit() -> None:
    """"Price per million tokens" is not answered by a training cost; an amount at any rate or beside the unit is."""
    tokens = "What price per million tokens does SiliconFlow charge for DeepSeek-R1 access?"
    assert spans("Notably, the reported $5 million isn't the cost of training the entire model.", tokens) == []
    assert spans("SiliconFlow charges $2.19 per 1M output tokens.", tokens) == ["$2.19"]
    assert spans("It charges $2.19 per million output tokens.", "What is the per-million-token price?") == ["$2.19"]
    plane = "What is the per-plane price in Japan Airlines' firm order for Boeing's 7E7?"
    assert spans("It ordered 30 of the aircraft, at $120m each, worth $3.6bn.", plane) == ["$120m"]
    home = "What extra cost per new home did the Tories say the scheme implied?"
    assert spans("They claimed it would amount to an extra tax of up to £11,000 on every new house.", home) == [
        "£11,000"]
    gas = "What will Ukraine pay per 1,000 cubic metres of Turkmen gas?"
    assert spans("They cut the price by $2 per 1,000 cubic metres, bringing it down to $58.", gas) == ["$2", "$58"]
    assert A.asked_of("How far did Ireland get, per O'Sullivan?").rate is None  # "per" a name: who said so
    assert A.asked_of("What per cent of voters turned out?").rate is None

def test_amounts_in_named_currencies() -> None:
    question = "Below what yearly income will South Africans pay no income tax?"
    assert spans("Those earning less than 35,000 rand a year will pay no income tax.", question) == ["35,000 rand"]


def test_a_place_is_not_a_film_and_life_is_only_a_penalty() -> None:
    film = "Which film do the first million buyers of the console get free?"
    assert spans("Buyers in Europe get Shrek free.", film) == ["Shrek"]
    assert spans("In the final, France beat Spain.", "Which team won the final?") == ["France", "Spain"]
    strike = "How long did the officer's hunger strike last?"
    assert spans("He said he would fight for life; the strike lasted 18 days.", strike) == ["18 days"]
    assert spans("He was jailed for life.", "How long was he jailed for?") == ["life"]


def test_a_month_a_place_or_a_mayor_is_not_the_modal_may() -> None:
    """Only a question about the plan itself takes a plan; "Mayfair" and "mayor" do not make it one."""
    assert A.unrealised_markers("Who was responsible for papers found in a Mayfair street?") is not None
    assert A.unrealised_markers("How much did the mayor pay?") is not None
    assert A.unrealised_markers("How many visitors may come?") is None


def test_the_month_may_is_not_a_guess() -> None:
    question = "When did the console go on sale in Europe?"
    assert spans("The console went on sale in Europe in May 2005.", question) == ["May 2005"]
    assert spans("The console may go on sale in Europe in 2006.", question) == []


@pytest.mark.parametrize(("question", "kind", "noun"), [
    ("What is the name of the newspaper that the jailed blogger edits?", NAME, "newspaper"),
    ("What is the name of the 18-year-old woman who was arrested?", PERSON, "woman"),
    ("What was the name of the nightclub where the brawl happened?", NAME, "nightclub"),
    ("What is the name of the scheme?", NAME, "name"),  # no known noun after "name of": still a name
])
def test_the_name_of_an_x_asks_for_an_x(question: str, kind: str, noun: str) -> None:
    assert expected_type(question) == A.Expected(kind, noun)


def test_a_verb_in_s_before_a_determiner_is_not_the_noun_asked_about() -> None:
    """"Which Brazilian city hosts the forum" asks for a city, not for "hosts" (a person noun)."""
    assert expected_type("Which Brazilian city hosts the World Social Forum?") == A.Expected(PLACE, "city")
    assert expected_type("Which band members left the group?").kind == PERSON


def test_a_persons_name_does_not_answer_which_newspaper() -> None:
    """The name model (bot/models/entity_kind.npz) is sure "Oliver Finegold" is someone, "Evening Standard" is not."""
    sentence = "Oliver Finegold, a reporter, worked for the Evening Standard."
    assert spans(sentence, "Which newspaper did the reporter work for?") == ["Evening Standard"]
    assert spans("The paper hired Oliver Finegold.", "Which newspaper hired the reporter?") == []


def test_a_name_that_is_surely_not_a_persons_does_not_answer_who() -> None:
    expected = A.Expected(PERSON)
    assert T.wrong_kind_of_name("Touching From A Distance", expected)
    assert not T.wrong_kind_of_name("Huw Stephens, Ras Kwame and Rob Da Bank", expected)
    assert not T.wrong_kind_of_name("Munich", A.Expected(PLACE, "city"))  # only who and organisation questions


def test_the_article_says_what_kind_of_thing_a_name_is() -> None:
    """The name model guesses from letters ("Fox" looks like a firm's); the article's "Dr Fox" settles it."""
    article = ("Liam Fox said the plan was wrong. George W Bush spoke in Boston. Dr Fox and Mr Bush disagreed. "
               "Investors bought shares in Vodafone. The firm Acme Group said it would move.")
    organisation = A.Expected(NAME, "organisation")
    assert T.wrong_kind_of_name("Fox", organisation, article)
    assert T.wrong_kind_of_name("George W Bush", A.Expected(PLACE, "state"), article)
    assert not T.wrong_kind_of_name("Vodafone", organisation, article)
    assert T.wrong_kind_of_name("Vodafone", A.Expected(PERSON, "player"), article)
    assert not T.wrong_kind_of_name("Vodafone", A.Expected(PERSON), article)  # "who bought it?" may be a firm
    band = "Oasis drummer Alan White was held at the hotel. Celtic manager Martin O'Neill was not."
    assert T.wrong_kind_of_name("Alan White", A.Expected(PLACE, "hotel"), band)  # a role names a person
    assert T.wrong_kind_of_name("Celtic", A.Expected(PERSON, "player"), band)  # whose manager: a side
    assert not T.wrong_kind_of_name("Celtic", A.Expected(NAME, "club"), band)
    assert T.wrong_kind_of_name("Park", A.Expected(PERSON))  # the letters make a Korean surname a place
    assert not T.wrong_kind_of_name("Park", A.Expected(PERSON), "Samsung's Mr Park said sales rose.")
    sentence = "The plan was opposed by the Royal College of Physicians, as by Fox."
    question = "Which doctors' organisation opposed the plan?"
    found = answer_spans(sentence, expected_type(question), question, article)
    assert [sentence[a:b] for a, b in found] == ["Royal College of Physicians"]
    products = "DeepSeek competes with established models like ChatGPT. Nokia phones and the Firefox browser sold well."
    assert T.wrong_kind_of_name("ChatGPT", A.Expected(PERSON, "investors"), products)  # a product is no investor
    assert T.wrong_kind_of_name("Firefox", A.Expected(NAME, "company"), products)
    assert not T.wrong_kind_of_name("Nokia", A.Expected(NAME, "company"), products)  # a maker before its product
    assert not T.wrong_kind_of_name("ChatGPT", A.Expected(NAME, "model"), products)
    owned = "R1 runs on Huawei's latest Ascend 910C AI chips, and Sony's PlayStation 3 console is late."
    assert T.wrong_kind_of_name("Ascend", A.Expected(PERSON), owned)  # the maker's named thing answers no "who"
    assert T.wrong_kind_of_name("PlayStation", A.Expected(PERSON), owned)
    assert not T.wrong_kind_of_name("Huawei", A.Expected(PERSON), owned)  # the maker itself may be who
    court = "Mr Sigarchi was sentenced by a court in the Gilan area. Gilan is on the Caspian coast."
    assert T.wrong_kind_of_name("Gilan", A.Expected(PERSON), court)  # "the Gilan area" is a place, not whoever


def test_another_name_of_the_questions_own_person_is_not_new() -> None:
    """Snoop Dogg's real name names Snoop Dogg, not the make-up artist suing him."""
    question = "What is the name of the make-up artist who is suing Snoop Dogg for $25m?"
    assert spans("The lawsuit names Snoop Dogg - real name Calvin Broadus - and three associates.", question) == []
    named = ["Eminem", "Marshall Mathers"]  # neither is the question's own
    assert spans("Eminem (real name Marshall Mathers) was named in the suit.", question) == named
    assert spans("Make-up artist Kelly Grant is suing Snoop Dogg.", question) == ["Kelly Grant"]


def test_a_gap_between_ages_is_no_length_of_time() -> None:
    question = "How long is the contract Harry Redknapp signed?"
    assert spans("Redknapp must get past a manager 19 years his junior.", question) == []
    assert spans("His assistant is ten years older.", question) == []
    assert spans("He signed a contract for three years.", question) == ["three years"]


@pytest.mark.parametrize(("question", "kind"), [
    ("The opening date?", DATE),  # a bare noun phrase asks what it is
    ("Its cost?", MONEY),
    ("What does that work out at per share?", L.NUMBER),  # an amount for each unit, whatever the verb
    ("What is the price of a ticket?", MONEY),  # a known noun still decides
])
def test_fragments_and_per_unit_questions_have_a_kind(question: str, kind: str) -> None:
    assert expected_type(question).kind == kind


def test_an_amount_for_each_named_share_is_given_per_share() -> None:
    sentence = "The firm will pay $76 for each Guidant share, 6% more than on Wednesday."
    assert spans(sentence, "What does that work out at per share?") == ["$76"]


@pytest.mark.parametrize(("question", "kind", "noun"), [
    ("Which of the carmaker's plants will be shut for a week?", PLACE, "plants"),  # not the carmaker
    ("Which of his companies was at the centre of the claims?", NAME, "companies"),
    ("Which of their players was yellow-carded?", PERSON, "players"),
    ("What did the poem he wrote go for?", MONEY, None),  # a sale price
])
def test_which_of_the_ones_and_what_it_went_for(question: str, kind: str, noun: str | None) -> None:
    assert expected_type(question) == A.Expected(kind, noun)


@pytest.mark.parametrize(("question", "noun"), [
    ("Which Irish 10,000m runner was caught for EPO?", "runner"),  # a number's comma does not end the phrase
    ("Which Michael Jackson associate phoned the adviser?", "associate"),
    ("Which friend of Marlon Brando told Vanity Fair?", "friend"),
    ("Which German did Andy Roddick beat in the semi-finals?", None),  # a nationality alone names a person
])
def test_people_asked_for_by_role_or_nationality(question: str, noun: str | None) -> None:
    assert expected_type(question) == A.Expected(PERSON, noun)


@pytest.mark.parametrize(("question", "kind"), [
    ("On what dates did the show officially run?", DATE),  # plural date nouns too
    ("In which months would the tests be played?", DATE),
    ("What size of stake do the Glazers own?", L.NUMBER),  # a share or a sum
    ("What yearly target was each officer given?", L.NUMBER),
    ("In which academic journal did he set out his case?", NAME),
    ("From which operator will the service rent airtime?", NAME),
    ("What was the record low for the dollar?", OTHER),  # "record" qualifies; it is no title asked for
])
def test_more_head_nouns_with_a_kind(question: str, kind: str) -> None:
    assert expected_type(question).kind == kind


def test_a_name_after_a_possessive_may_be_the_person_asked_for() -> None:
    """"South Africa's Schalk Burger" reads as a place as a whole; after the possessive it is a person."""
    question = "Which South African flanker was named player of the year?"
    assert spans("South Africa's Schalk Burger was named player of the year.", question) \
        == ["South Africa's Schalk Burger"]


def test_dates_in_a_list_are_one_answer() -> None:
    assert spans("Wales won their first two games there, in 1999 and 2001.",
                 "In which years did Wales win their first two games there?") == ["1999 and 2001"]


@pytest.mark.parametrize(("question", "kind"), [
    ("What's the fee supposed to be?", MONEY),  # a contraction is "what is"
    ("What's the unemployment rate there?", L.NUMBER),
    ("What will it cost to rent a current release?", MONEY),
    ("What do prosecutors say he spent?", MONEY),
    ("How cheap are the set-top boxes?", MONEY),
    ("Which youngsters will take turns playing the lead?", PERSON),
    ("Which international agreement was broken?", NAME),
    ("What was the winner's world ranking at the time?", L.RANK),  # the ranking, not the winner
    ("Which French club's offer was accepted?", NAME),  # here the owner is asked for
])
def test_contractions_costs_and_possessives_after_what_was_the(question: str, kind: str) -> None:
    assert expected_type(question).kind == kind


def test_where_something_moved_is_answered_by_to() -> None:
    """A question about a move asks where to; any other where-question still needs in/at/near/from."""
    sentence = "Siemens threatened to take the factory and its jobs to Hungary."
    assert spans(sentence, "Where did Siemens threaten to move its factory?") == ["Hungary"]
    assert spans(sentence, "Where is the Siemens factory?") == []


def test_a_multiple_answers_by_how_much() -> None:
    """"Increased fourfold" and "doubled" give the figure a by-how-much question asks for."""
    assert spans("Traffic on the network increased fourfold on launch day.",
                 "By how much did traffic on the network grow on launch day?") == ["fourfold"]
    assert spans("The firm's profits doubled last year.",
                 "By how much did the firm's profits rise last year?") == ["doubled"]


def test_demonyms_hold_cldr_language_words() -> None:
    """demonyms.txt is the demonym-shaped words of CLDR's English language names (as babel ships them)."""
    import re

    from babel import Locale

    words = {w for name in Locale("en").languages.values() for w in re.findall(r"[A-Z][a-z]+", name)
             if T.DEMONYM.search(w)}
    assert words == T.demonyms()


@pytest.mark.parametrize(("word", "adjective"), [
    ("Italian", True), ("Zimbabwean", True), ("Indian", True), ("Lebanese", True), ("Peruvian", True),
    ("Lillian", False), ("Adrian", False), ("Sebastian", False), ("Julian", False), ("Gillian", False),
])
def test_a_first_name_shaped_like_a_demonym_is_a_name(word: str, adjective: bool) -> None:
    """"Lillian" ends as "Italian" does, but no place's or language's name gives it: it is a first name."""
    assert T.demonym(word) is adjective


@pytest.mark.parametrize(("sentence", "question", "expected"), [
    ("Ms Mohd-Saaid is to be replaced by Lillian Tan, a non-executive director.",
     "Who has been named to replace Ainum Mohd-Saaid as chief executive?", ["Lillian Tan"]),
    ("The suit was brought by Californian Thomas Slattery on Monday.", "Who brought the suit?", ["Thomas Slattery"]),
    ("Their single Here To Stay reached number 12.", "Which single was the band's biggest hit?", ["Here To Stay"]),
    ("He rated a blockbuster such as Titanic or Lord of the Rings.", "Which film did he rate best?",
     ["Titanic", "Lord of the Rings"]),
    ("The camp was held in La Manga this week.", "Where was the winter camp held?", ["La Manga"]),
    ("DiCaprio made his debut in the horror film Critters 3 in 1991.", "In which film did DiCaprio start his career?",
     ["Critters 3"]),
    ("The console will manage one trillion calculations per second.", "How many calculations a second can it do?",
     ["one trillion"]),
    ("Users must prove their software is genuine from mid-2005.", "From when will users have to prove it is genuine?",
     ["mid-2005"]),
    ("The cruise firm warned of a five-cent hit to earnings.", "By how much would earnings be cut?", ["five-cent"]),
])
def test_an_instance_is_the_whole_name_or_figure(sentence: str, question: str, expected: list[str]) -> None:
    """A short answer is the whole instance: a first name, a title's function words, a sequel's number, a scale."""
    assert spans(sentence, question) == expected


@pytest.mark.parametrize(("question", "kind"), [
    ("Which chips does DeepSeek not use for inference?", L.ABSENT),
    ("Who did not attend the meeting?", L.ABSENT),
    ("Which players have never won the title?", L.ABSENT),
    ("Which landowner was told by the lawyers that chasing deer with dogs was not hunting?", PERSON),
    ("Which director general urged the chancellor not to spend the spare cash?", PERSON),
    ("Which former foreign secretary told the inquiry that the public was not to blame?", PERSON),
    ("What is the name of the software that blocks numbers a user has not approved?", NAME),
    ("What proportion of respondents said politicians never answer questions?", PERCENT),
])
def test_only_a_negated_wh_clause_asks_for_an_absence(question: str, kind: str) -> None:
    """A negation in what someone said, was told or was urged, or in a relative clause, is not the question's."""
    assert expected_type(question).kind == kind


@pytest.mark.parametrize(("question", "kind", "noun"), [
    ("What are the names of the two Bank of China officials who disappeared in Harbin?", PERSON, "officials"),
    ("Which Carry On film was her first in the series?", NAME, "film"),  # "On" is part of a title
    ("Which Bank of England official spoke?", PERSON, "official"),
])
def test_a_name_inside_the_which_phrase_does_not_end_it(question: str, kind: str, noun: str) -> None:
    """Capitalised words and an "of" between them belong to a name; the head noun comes after it."""
    assert expected_type(question) == A.Expected(kind, noun)


def test_a_personal_title_names_a_person_not_a_place() -> None:
    """"Which hotel" is not answered by "Mr Mousa": the name model is unsure of places, a title is not."""
    question = "What was the name of the Basra hotel where Baha Mousa was arrested?"
    assert spans("Father-of-two Mr Mousa was arrested in a raid on 14 September.", question) == []
    assert spans("Mr Mousa was held at the Ibn Haitham hotel in Basra.", question) == ["Ibn Haitham"]


def test_a_reason_is_said_in_words() -> None:
    assert A.asks_reason("Why did the club sack its manager?")
    assert A.asks_reason("What reason did Mark Cueto give for believing his score was legal?")
    assert not A.asks_reason("Who sacked the manager?")
    assert T.in_words("fear of flying") and T.in_words("no agreement") and T.in_words("34 servers")
    assert not T.in_words("H800") and not T.in_words("Keith Hackett") and not T.in_words("90%")
    assert not T.in_words("Olivier Rochus of Belgium")


def test_a_race_time_is_a_length_of_time_said_whole() -> None:
    """"What time did she run?" was untyped ("Tuesday", "2005" led); "at what time" asks the hour, which is not one."""
    run = "What time did Britain's Kathy Butler clock when finishing fourth?"
    assert A.expected_type(run).kind == L.DURATION
    assert A.expected_type("What was Paula Radcliffe's finishing time in New York?").kind == L.DURATION
    assert A.expected_type("At what time did Tony Blair turn up at the shop?").kind == OTHER
    assert spans("Butler clocked 22 minutes 45 seconds on Sunday in Spain.", run) == ["22 minutes 45 seconds"]
    assert spans("She won in two hours, 23 minutes and 10 seconds.", run) == ["two hours, 23 minutes and 10 seconds"]
    assert spans("He won the 1500m in 3:49.78 on Tuesday.", run) == ["3:49.78"]
    assert spans("The race starts at 14:30 on Tuesday in 2005.", run) == []
    record = "What Olympic record time did Joanna Hayes set when she won the 100m hurdles?"
    assert spans("Hayes set a time of 12.37 in winning the 100m hurdles.", record) == ["12.37"]  # written bare
    assert spans("He won in 6.67 secs on Sunday.", run) == ["6.67 secs"]
    assert spans("He was banned for 12.37 and two years.", "How long was he banned for?") == ["two years"]


def test_a_scene_setting_win_is_no_outcome_asked() -> None:
    """"… singled out when Sony won the prize" asks which model, so the sentence need not report a win."""
    question = "Which Vaio laptop model was singled out when Sony won PC Pro's top innovator prize?"
    assert A.outcome_asked(question) is None
    assert A.outcome_asked("Which player won the match?") is not None
    assert A.outcome_asked("When did Ireland last win a Grand Slam?") is not None  # the question's own "When"
    assert A.outcome_asked("Before her win in Pattaya, where and when had she won her previous title?") is not None


def test_what_did_not_happen_and_what_someone_did_are_facts() -> None:
    """"could not choose" reports a fact; "the label he founded in 1987" is no part of "he planned to stay"."""
    star = "With which star did the actress share a Berlin prize?"
    sentence = "The jury could not choose between her and Charlize Theron, so gave them a tied award."
    assert spans(sentence, star) == ["Charlize Theron"]
    assert spans("The jury could give it to Charlize Theron.", star) == []  # a guess
    year = "In what year did the designer start the label?"
    assert spans("Mr Lacroix said he planned to stay at the label he founded in 1987.", year) == ["1987"]
    assert spans("Mr Lacroix said he planned to start a label in 2006.", year) == []


def test_a_race_over_a_distance_is_answered_by_its_time() -> None:
    """"How fast did she run the 1,000m?" asks for a race time; a race is timed in minutes, never in days."""
    fast = "How fast did the double Olympic champion run the 1,000m in Birmingham?"
    assert A.expected_type(fast) == A.Expected(L.DURATION, "time")
    assert A.expected_type("How fast can the new train travel?").kind == L.PHYSICAL  # a speed
    sentence = "Holmes, back five days after her win, ran two minutes, 35.39 seconds, ahead of the two mile champion."
    assert spans(sentence, fast) == ["two minutes, 35.39 seconds"]
    clocked = "What time did the double Olympic champion clock in her Glasgow 1500m win?"
    assert spans("Holmes, who returns in five days, clocked four minutes 14.74 seconds.", clocked) == [
        "four minutes 14.74 seconds"]


def test_words_that_look_like_other_rules_keep_their_plain_meaning() -> None:
    # a match "win" is no outcome asked for; a capitalised "Will" inside a question is a name, not the future
    assert spans("Fernando Torres gave Atletico an ideal start with a goal in the first minute.",
                 "Which Atletico player scored twice in the 2-0 win over Barcelona?") == ["Fernando Torres"]
    assert spans("Shark Tale has raked in $80m (£42.4m) in the first week of its US DVD release.",
                 "How much did the Will Smith fish film earn in its first week on DVD?") == ["$80m (£42.4m)"]
    # a share of a group that a negation defines is still a figure, and "one in eight" is a share
    assert expected_type("What proportion of camera phone owners have never sent a picture message?").kind == PERCENT
    assert spans("He says one in eight households already struggle with debt.",
                 "What proportion of households struggle with debt?") == ["one in eight"]
    assert spans("It won 2 in 2004.", "What proportion of households struggle with debt?") == []


def test_a_month_is_a_date_and_the_dead_are_people() -> None:
    assert spans("Mr Blair signed the constitution at a ceremony in Rome in November.",
                 "In which month did Tony Blair sign the EU constitution?") == ["November"]
    assert spans("The band will play 24 European gigs, finishing in Lisbon in August.",
                 "On what date will U2 play Lisbon?") == []  # a month is no day
    assert spans("The attack, which killed five, was the first since he took office.",
                 "How many people died in the nightclub bombing?") == ["five"]
    assert spans("The show's highest audience came at Christmas 1986, when more than 30 million tuned in.",
                 "How many people watched the soap at Christmas 1986?") == ["30 million"]  # an audience is people
    assert spans("Wanadoo is set to trial an 8Mbps service in the summer.",
                 "What top speed will Wanadoo's broadband service offer?") == ["8Mbps"]


def test_an_organisation_is_no_place() -> None:
    assert spans("Mr Mittal told investors in Chicago that once International Steel Group was bought, jobs would go.",
                 "In which US city did Lakshmi Mittal outline the job cuts?") == ["Chicago"]


def test_a_person_from_a_place_is_still_a_person() -> None:
    assert spans("Tirunesh Dibaba of Ethiopia will defend the title she won last year.",
                 "Who is the reigning champion of the Edinburgh cross country race?") == ["Tirunesh Dibaba of Ethiopia"]


def test_a_figure_compared_with_another_years_is_still_the_asked_years() -> None:
    assert spans("The fourth-quarter losses at General Motors Europe totalled $345m, up from $66m in 2003.",
                 "How much did General Motors lose in Europe in the final quarter of 2004?") == ["$345m", "$66m"]
    assert spans("Sales were $66m in 2003.", "How much did General Motors sell in 2004?") == []  # another year's


def test_wont_is_no_win_and_a_person_of_an_organisation_is_the_person() -> None:
    assert spans("Users fear DVDs will not work on PCs running Nix.",
                 "Which operating system are readers worried the discs won't play on?") == ["DVDs", "PCs", "Nix"]
    assert spans("Laura Brownlees of Save the Children said there were grave concerns.",
                 "Who spoke for Save the Children?") == ["Laura Brownlees of Save the Children"]


def test_where_in_a_table_asks_for_a_place_in_the_order() -> None:
    assert expected_type("Where in the league table were Newcastle at Christmas?").kind == L.RANK
    assert spans("Murray, on the other hand, is 407th in the current ATP entry list.",
                 "Where does Andrew Murray stand on the ATP entry list?") == ["407th"]
    assert expected_type("Where did the striker finish his career?").kind == PLACE


def test_a_role_word_that_ends_a_name_introduces_no_one() -> None:
    assert spans("His name is Tote King and Manuel Millan says that he is the leader in Spain.",
                 "Which rapper does Manuel Millan call the leader in Spain?") == ["Tote King and Manuel Millan"]
    assert spans("The number of Chinese tourists will rise by 40,000 per year.",
                 "By how many visitors a year will the deal increase tourism?") == ["40,000"]  # tourists are people


def test_a_relative_is_not_the_role_asked_for() -> None:
    """Curtis's widow is in the story as his widow: she is not the actor cast, nor the man who was attacked."""
    actor = "Which actor has been cast to play Ian Curtis?"
    assert spans("The film is based on a book by Curtis's widow Deborah.", actor) == []
    assert spans("Actor Sam Riley has been cast in the lead.", actor) == ["Sam Riley"]
    man = "What was the name of the man Michael Ferguson attacked?"
    assert spans("He had gone to see his fiancée Annabella Holmes, 47.", man) == []
    brother = "Which brother wrote the band's new single?"  # a tie asked for is answered by one
    assert spans("The single was written by Liam's brother Noel.", brother) == ["Noel"]


def test_an_attendance_is_a_count_and_a_chart_position_a_rank() -> None:
    attendance = "What was the attendance for the draw at Fulham?"
    assert expected_type(attendance).kind == L.COUNT
    assert spans("A crowd of 21,940 watched the draw in the 87th minute.", attendance) == ["21,940"]
    chart = "What was the highest chart position reached by No More?"
    assert expected_type(chart).kind == L.RANK
    assert spans("The single reached number two in the charts.", chart) == ["number two"]
    assert expected_type("What position does Smith play?").kind == L.OTHER  # a role on the pitch, not a place


def test_memory_is_measured_in_bytes() -> None:
    question = "How much memory does each chip have?"
    assert spans("The cluster has approximately 1,000 chips.", question) == []
    assert spans("Each chip has 64GB of memory.", question) == ["64GB"]
    assert spans("The disc holds 50 gigabytes.", question) == ["50 gigabytes"]


def test_an_adjective_of_a_place_is_no_name() -> None:
    """"South African" and "Kenyan" describe; "South Africa" and "Kenya" name."""
    assert T.demonym("Kenyan") and T.demonym("African") and not T.demonym("Duncan") and not T.demonym("Jordan")
    team = "Which team will the Israeli club face in the first round?"
    assert spans("The South African striker scored twice.", team) == []
    assert spans("They face South Africa next.", team) == ["South Africa"]


def test_a_titled_name_is_no_firm() -> None:
    """"Which company" is not answered by "Prince Alwaleed"; a place may look like a person's name ("Miami")."""
    assert T.wrong_kind_of_name("Prince Alwaleed", A.Expected(NAME, "company"))
    assert not T.wrong_kind_of_name("Miami", A.Expected(PLACE))
    assert not T.wrong_kind_of_name("Prince Edward Theatre", A.Expected(PLACE, "theatre"))  # named after someone
    assert not T.wrong_kind_of_name("Fairmont", A.Expected(NAME, "company"))


def test_a_maker_or_a_watchdog_is_a_named_organisation() -> None:
    question = "Which large American food manufacturer has cut back on marketing snacks to children?"
    assert expected_type(question).kind == NAME
    assert spans("Kraft said it would cut back on marketing snacks to children.", question) == ["Kraft"]
    assert T.wrong_kind_of_name("Cameron Mackintosh", expected_type("Which watchdog fined the bank?"))


def test_the_level_of_a_rate_is_a_percentage() -> None:
    question = "What level are Brazilian interest rates at as the Bovespa reaches record highs?"
    assert expected_type(question).kind == L.PERCENT
    assert spans("The Bovespa rose to 24,997 points while interest rates are at 17.25%.", question) == ["17.25%"]
    assert expected_type("What level of the competition did they reach?").kind == L.OTHER


def test_an_injury_asked_about_is_not_the_person_after_it() -> None:
    question = "What injury forced Roger Federer's third-round opponent to retire at the Australian Open?"
    assert expected_type(question) == A.Expected(L.OTHER, "injury")


def test_a_name_joined_to_a_lower_case_word_describes() -> None:
    question = "Which specific Ascend chips power the data centres?"
    assert spans("The platform is “Ascend-adapted”, powered by its 910C chips.", question) == []
    assert spans("Labour-run Hull council agreed.", "Which council agreed?") == ["Hull"]


def test_an_opening_adverb_names_nothing() -> None:
    question = "Which company makes the chips?"
    assert spans("Notably, the chips are made in China.", question) == []
    assert spans("Kelly, the chip designer, drew them.", "Who drew the chips?") == ["Kelly"]  # a name and a comma
    assert T.adverb("separately") and not T.adverb("italy") and not T.adverb("stanley")


@pytest.mark.parametrize(("question", "kind"), [
    ("How much of the country's oil production will it control?", L.NUMBER),  # a part: a share as often as a sum
    ("How much of the bonds' original value could investors lose?", L.NUMBER),
    ("How much of that covers the former businesses?", L.NUMBER),
    ("How much did its mail order sales go up?", L.NUMBER),  # a phrasal change verb is a change
    ("Which number star is his on the boulevard?", L.RANK),  # a place in a sequence
    ("Where did the film place at the US box office?", L.RANK),  # a box office is a chart
])
def test_parts_changes_and_places_in_an_order_have_their_kind(question: str, kind: str) -> None:
    assert expected_type(question).kind == kind


def test_a_part_a_rank_and_a_based_place_are_found() -> None:
    assert expected_type("What number of people signed the petition?").kind != L.RANK  # a count, not a place
    assert spans("Rosneft will control 16% of the country's oil production.",
                 "How much of the country's oil production will it control?") == ["16%"]
    assert spans("His star is the 2,277th on Hollywood Boulevard.", "Which number star is his?") == ["2,277th"]
    where = "Where is the company based?"
    assert spans("The Jacksonville, Florida-based firm has debts of $1.87bn.", where) == ["Jacksonville", "Florida"]
    assert spans("The London-based bank said so.", where) == ["London"]
    # the place is the one word before "-based", not a list ending there ("Nokia and Canada-based")
    assert spans("Nokia and Canada-based wireless firm Sierra Wireless agreed to work together.", where) == ["Canada"]
    assert spans("The firm's chief, John Smith, said so.", where) == []

