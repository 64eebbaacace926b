"""Names in Simplified text that must not convert as words: people's surnames, unit and place names.

OpenCC converts by phrase and by character; it knows no names. Some surnames are also words
with another Traditional form (余 餘, 于 於, 郁 鬱, 范 範, 姜 薑, 谷 穀), or fall into a phrase
(沈海发: 沈海, the Shenyang–Haikou expressway, 瀋海), and 冲 in a village name is 沖 (a valley),
not 衝. Found here, each as a ``Span`` (where, and what it converts to):

- names the system knows (people, units), given by the caller: a person's name converts
  character by character with the surname kept, a unit's or place's name by phrase with
  冲 as 沖 and the surname of 于家庄 kept;
- a surname before a title or 同志 (余科长, 于建国同志, 余敏丽：党支部书记), after a title
  (书记沈海发), in a list of names (余兴、孙芝婷) or alone in a table cell (余琴桂); a name found
  so is known in the rest of the document (``convert_all``);
- 冲 in a place name before 村, 组, 社区… (麦地冲村), and a surname before 家庄, 家村… (于家庄).

A surname is read as one only where a name can start: after punctuation, after words that
introduce a person (、和, 请, 由…) or after a title. Elsewhere the character may end a word
(其余, 关于, 规范, 浓郁, 由于), which OpenCC converts by its dictionary.
"""

import re
from dataclasses import dataclass

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# Surnames whose character OpenCC (alone or in a phrase) may turn into another Traditional character.
SURNAMES = "余于沈郁范姜谷"
TITLES = (
    "书记|科长|主任|局长|部长|县长|乡长|镇长|村长|区长|市长|处长|股长|所长|站长|队长|组长|委员|主席|"
    "会计|老师|校长|院长|经理|支书|干事|专干|文书|大爷|大妈|大姐|大哥|师傅|医生|先生|女士|阿姨|同志(?!们)"
)
# Titles a name may follow (书记沈海发): all two characters, as a look-behind needs.
TITLES_BEFORE = "书记|科长|主任|局长|部长|县长|乡长|镇长|村长|区长|处长|股长|所长|站长|队长|组长|委员|主席|会计|支书|干事|专干|文书"
INTRODUCERS = "、和与及同跟给向找请让叫是派经陪举命"
# These introduce a person too, but end words with 于 (由于, 对于, 在于…).
INTRODUCERS_EXCEPT_于 = "由对在据把被将随"
# A given name's characters: not an organisation's, a count's or a word's (于县委书记, 十余名同志, 余下, 于各村).
GIVEN = rf"(?:(?![县乡镇村委党局部市区省总支副组队站所处股科院校名人次个位户项件元万年天余多下额粮款各每全本该此其])[{HAN}])"
NAME_START = rf"(?:(?<![{HAN}])|(?<=[{INTRODUCERS}])|(?<=[{INTRODUCERS_EXCEPT_于}])(?!于)|(?<={TITLES_BEFORE}))"

# Each person rule captures the given name (the first group that matched), so that a name found
# once is known in the rest of the document (``recognised_names``).
SURNAME_BEFORE_TITLE = re.compile(
    rf"{NAME_START}[{SURNAMES}](?=({GIVEN}{{0,2}}?)副?(?:{TITLES}))"
    # 余敏丽：党支部书记、村委会主任
    rf"|{NAME_START}[{SURNAMES}](?=({GIVEN}{{1,2}})[：:][^。；\n]{{0,8}}?(?:{TITLES}))"
)
# After a title: a two-character given name is enough (书记余善雄因为…); 于 must end there, as in
# 书记于建国， (书记于近日 is 於).
SURNAME_AFTER_TITLE = re.compile(
    rf"(?<={TITLES_BEFORE})(?:[{SURNAMES.replace('于', '')}](?=({GIVEN}{{2}}))|[{SURNAMES}](?=({GIVEN}{{1,2}})(?:[^{HAN}]|$|同志|等)))"
)
# A table cell or line holding only a three-character name: 余琴桂.
SURNAME_OF_LONE_NAME = re.compile(rf"^\s*[{SURNAMES}](?=({GIVEN}{{2}})\s*$)")
# Common surnames, to tell a list of names (余兴、孙芝婷、…) from a list of words.
COMMON_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤普毕施鲁"
)
_OTHER_SURNAMES = "".join(c for c in COMMON_SURNAMES if c not in SURNAMES)
# A neighbour in the list is a name: a common surname, or one of SURNAMES before a given name.
_HEAD = rf"(?:[{_OTHER_SURNAMES}][{HAN}]|[{SURNAMES}]{GIVEN})"
NAME = rf"{_HEAD}[{HAN}]?(?![{HAN}])"
AFTER_NAME = rf"(?:(?<=[^{HAN}]{_HEAD}、)|(?<=[^{HAN}]{_HEAD}[{HAN}]、))"
# In a list separated by 、, next to another name: ：余兴、孙芝婷 and 沈松、沈海发。
SURNAME_IN_NAME_LIST = re.compile(
    rf"(?<![{HAN}])[{SURNAMES}](?=({GIVEN}{{1,2}})、{NAME})|{AFTER_NAME}[{SURNAMES}](?=({GIVEN}{{1,2}})(?![{HAN}]))"
)
PERSON_RULES = (SURNAME_BEFORE_TITLE, SURNAME_AFTER_TITLE, SURNAME_IN_NAME_LIST, SURNAME_OF_LONE_NAME)
PLACE_SUFFIXES = "村民委员会|居民委员会|村委会|居委会|自然村|村民小组|小组|社区|村|组"
PLACE_冲 = re.compile(rf"(?<=[{HAN}])冲(?={PLACE_SUFFIXES})")
# A village named after a family: 于家庄, 余家湾; 余套村, 余营 where a name can start (于 before a
# place is more often 於: 于河西村召开).
SURNAME_OF_PLACE = re.compile(
    rf"[{SURNAMES}](?=家(?:庄|村|营|湾|坝|寨|沟|坪|岭|铺|店|屯|洼|堡|集|巷|院|坡|冲))"
    rf"|{NAME_START}[{SURNAMES.replace('于', '')}](?={GIVEN}{{1,2}}(?:村|社区|组)|[营庄寨屯堡](?:(?![{HAN}])|(?=[等和及村、])))"
)
UNIT_SUFFIXES = ("村民委员会", "居民委员会", "村委会", "居委会", "党总支", "党支部", "党委", "社区", "街道", "村", "镇", "乡")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    converted: str


# Every rule matches one of these characters (its look-behinds look before it): the rules are
# tried only where one stands, which is several times faster than scanning with each rule.
_CANDIDATES = re.compile(f"[{SURNAMES}冲]")


def _matches(text, rules):
    for candidate in _CANDIDATES.finditer(text):
        for rule in rules:
            match = rule.match(text, candidate.start())
            if match:
                yield match
                break


def recognised_spans(text):
    """The surnames and place characters the rules find in ``text``, each kept or corrected."""
    return [
        Span(m.start(), m.end(), "沖" if m.group() == "冲" else m.group())
        for m in _matches(text, (*PERSON_RULES, SURNAME_OF_PLACE, PLACE_冲))
    ]


def recognised_names(text):
    """The full names (surname and given name) the person rules find in ``text``."""
    names = set()
    for match in _matches(text, PERSON_RULES):
        given = next((group for group in match.groups() if group), "")
        if given:
            names.add(match.group() + given)
    return names


def unit_stems(name):
    """A unit's name and its stem without the kind of unit (麦地冲村 → 麦地冲), which texts use alone."""
    for suffix in UNIT_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return (name, name[: -len(suffix)])
    return (name,)


def convert_person(name, convert_characters):
    """A person's name character by character (no phrase across a name), its surname kept."""
    converted = convert_characters(name)
    return name[0] + converted[1:] if name[0] in SURNAMES else converted


def convert_place(name, convert_phrase):
    """A place's name by phrase, with 冲 as 沖 and the surname of 于家庄 kept."""
    converted = convert_phrase(name)
    if len(converted) != len(name):
        return converted
    kept = {span.start: span.converted for span in recognised_spans(name)}
    kept.update((i, "沖") for i, character in enumerate(name) if character == "冲")
    return "".join(kept.get(i, character) for i, character in enumerate(converted))


def literal_pattern(words):
    """One pattern matching any of ``words``, the longest where several start at one place; None for none."""
    words = sorted(words, key=lambda word: (-len(word), word))
    return re.compile("|".join(map(re.escape, words))) if words else None
