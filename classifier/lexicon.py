"""Small word lists the features use: stopwords, attribution verbs, calls to action, pronouns.

They are kept short and multilingual on purpose: they carry across sites and languages where a
vocabulary learned from a few thousand pages would not.
"""

from __future__ import annotations

__all__ = ["STOPWORDS", "ATTRIBUTION", "CALL_TO_ACTION", "FIRST_PERSON", "SECOND_PERSON", "FURNITURE", "SUBJECTIVE"]

STOPWORDS = frozenset(
    # en
    "the a an and or but of to in on at for with by from as is are was were be been being it its this "
    "that these those which who whom whose what when where why how not no than then there their they "
    "them he she his her we our you your i my me us will would can could should may might must has "
    "have had do does did so if about into over after before also more most such only very just "
    # de
    "der die das und oder aber ein eine einer eines dem den des ist sind war waren nicht mit von zu "
    "auf für im ins auch sich es sie er wir ihr wie als bei nach aus noch nur wird werden hat haben "
    # fr
    "le la les et ou mais un une des du de en dans sur pour par avec est sont était il elle ils elles "
    "nous vous ce cette ces qui que quoi ne pas plus au aux son sa ses leur leurs été être a "
    # es / pt / it
    "el los las y o pero uno unos del al con por para es son fue fueron que se su sus como más muy "
    "este esta estos estas lo le les da do dos das em no na nos nas um uma os e é foi são com não "
    "il lo gli di che è sono nel nella con per una della delle dei anche come più "
    # ru / uk
    "и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне "
    "было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до "
    "вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы "
    "тебя их чем была сам чтобы без будто чего раз тоже себе под будет ж тогда кто этот того потому "
    "этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех "
    "також що це як та які від але його її з до на у в і не".split()
)

ATTRIBUTION = frozenset(
    "said says say told tells according added adds stated states reported reports announced "
    "announces wrote writes explained explains noted notes claimed claims argued argues asked asks "
    "confirmed confirms denied denies warned warns insisted insists acknowledged admitted quoted "
    "recalled replied responded testified declared estimated "
    "sagte sagt erklärte betonte laut berichtete "
    "a déclaré selon affirme affirmé indiqué précisé "
    "dijo afirmó según declaró señaló explicó disse afirmou segundo declarou ha detto secondo "
    "заявил заявила сказал сказала сообщил сообщила отметил отметила по словам сообщает заявили "
    "powiedział powiedziała według заявив сказав".split()
)

CALL_TO_ACTION = frozenset(
    "subscribe sign log click share follow join download read watch listen register get tweet "
    "like comment reply print email save contact advertise buy shop donate login logout signup "
    "abonnieren anmelden teilen подписывайтесь подпишитесь читайте смотрите войти abonnez "
    "inscrivez partager suscríbete compartir iscriviti condividi".split()
)

FIRST_PERSON = frozenset(
    "i me my mine myself we us our ours ourselves i'm i've i'd i'll we're we've "
    "ich mich mein meine wir uns unser je moi mon ma mes nous notre yo mí mi nosotros eu meu minha nós "
    "io mio mia noi я меня мой моя мы нас наш".split()
)

SECOND_PERSON = frozenset(
    "you your yours yourself yourselves you're you've du dich dein ihr euch tu toi ton ta vous votre "
    "tú tu usted vosotros você voi ты тебя твой вы вас ваш".split()
)

#: Words that mark a writer's own stance (LABELS.md: evaluation, prediction, advice, feeling):
#: obligation and modality, stance adverbs and intensifiers, evaluative adjectives and nouns,
#: verbs of belief. English, where the sentence sets the voice model learns from are.
SUBJECTIVE = frozenset(
    "should must ought need needs needed shouldn't mustn't cannot can't won't wouldn't "
    "clearly obviously surely certainly undoubtedly arguably apparently perhaps maybe probably "
    "possibly seemingly frankly honestly simply merely truly really very too so extremely "
    "incredibly deeply utterly totally absolutely entirely quite rather fairly pretty highly "
    "good bad great terrible awful horrible wonderful excellent poor best worst better worse wrong "
    "right fair unfair just unjust important crucial vital essential necessary unnecessary "
    "disgraceful shameful outrageous ridiculous absurd stupid foolish silly wise smart brilliant "
    "clever naive reckless dangerous sad tragic shocking disturbing alarming troubling worrying "
    "welcome remarkable extraordinary impressive disappointing disappointed frustrating frustrated "
    "angry outraged sorry hope hopefully unfortunately fortunately sadly thankfully luckily "
    "regrettably ironically believe think feel suspect doubt seems seem appears appear guess "
    "reckon wonder suppose imagine argue insist failure fail failed failing success successful "
    "disaster crisis scandal mess nonsense hypocrisy lie lies liar lying corrupt corruption "
    "incompetent incompetence love hate like dislike prefer deserve deserves deserved beautiful "
    "ugly nice lovely amazing awesome fantastic fabulous dreadful pathetic miserable hardly barely "
    "scarcely never always everyone nobody nothing everything anyone".split()
)

FURNITURE = frozenset(
    "home menu search login log sign subscribe newsletter privacy policy cookies cookie terms "
    "contact advertise about careers copyright rights reserved follow share tweet facebook twitter "
    "instagram linkedin whatsapp pinterest youtube telegram email print comments comment reply "
    "related recent popular trending archive archives tags tagged categories category posted "
    "loading advertisement sponsored previous next older newer more menu skip navigation rss feed "
    "photo credit image getty reuters ap afp".split()
)
