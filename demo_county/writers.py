"""Writers of demo disclosure items: each turns a unit and a date into a title, summary and body.

A writer is a function ``(ctx) -> Draft`` registered under the catalogue entry's writer key
(see ``content.FIVE_AREAS``); a chain writer returns the pre-disclosure, decision and result
drafts of one matter. All wording is generated from the vocabularies below and ``ctx.rng``.
"""

import datetime
from dataclasses import dataclass

from django.utils.html import escape

from . import content as c

# ---------------------------------------------------------------------------------------
# Plumbing
# ---------------------------------------------------------------------------------------


@dataclass
class Draft:
    title: str
    summary: str
    blocks: list
    stage: str = "other"
    importance: str = "general"
    validity: str = "valid"
    effective_date: datetime.date | None = None
    expiry_date: datetime.date | None = None
    comment_deadline: datetime.date | None = None


class Ctx:
    """What a writer knows: the unit, the date of the document, and a seeded random source."""

    def __init__(self, rng, unit, date, today, entry=None):
        self.rng = rng
        self.unit = unit
        self.date = date
        self.today = today
        self.entry = entry

    @property
    def year(self):
        return self.date.year

    # -- the unit in words ----------------------------------------------------------------

    @property
    def label(self):
        """How the unit names itself in a title, e.g. 城关镇党委, 县财政局党组, 河西村党支部."""
        return self.unit.facts["label"]

    @property
    def kind(self):
        return self.unit.unit_type

    @property
    def is_village(self):
        return self.unit.unit_type in ("village", "community")

    @property
    def meeting(self):
        """The deciding meeting, e.g. 镇党委会议, 局党组会议, 支部委员会会议."""
        return self.unit.facts["meeting"]

    @property
    def members(self):
        """Party members of the whole unit (a township counts all its villages)."""
        return self.unit.facts["members"]

    @property
    def branch(self):
        """The branch whose routine (dues, meetings) an item reports: the unit's own office branch."""
        return "" if self.is_village else "机关党支部"

    @property
    def branch_members(self):
        return self.unit.facts["branch_members"]

    # -- random helpers -------------------------------------------------------------------

    def pick(self, seq):
        return self.rng.choice(seq)

    def sample(self, seq, k):
        return self.rng.sample(list(seq), min(k, len(seq)))

    def between(self, low, high):
        return self.rng.randint(low, high)

    def chance(self, p):
        return self.rng.random() < p

    def person(self, gender=None):
        gender = gender or self.pick("男女")
        pool = c.MALE_GIVEN if gender == "男" else c.FEMALE_GIVEN
        given = self.pick(pool) + (self.pick(pool) if self.chance(0.7) else "")
        return self.pick(c.SURNAMES) + given

    def people(self, k, gender=None):
        names = []
        while len(names) < k:
            name = self.person(gender)
            if name not in names:
                names.append(name)
        return names

    def phone(self):
        return f"{c.COUNTY['area_code']}-{self.pick('3456789')}{self.between(100000, 999999)}"

    def contact(self):
        return self.unit.facts["contact_person"], self.unit.facts["phone"]

    def days_later(self, days):
        return self.date + datetime.timedelta(days=days)

    # -- text -----------------------------------------------------------------------------

    def opening(self):
        return self.pick(c.BASIS_OPENINGS)

    def feedback(self, days=None):
        who, phone = self.contact()
        line = self.pick(c.FEEDBACK_LINES).format(unit=self.unit.short_name)
        period = ""
        if days:
            period = f"公示时间为{cn_date(self.date)}至{cn_date(self.days_later(days))}。"
        return p(f"{period}{line}联系人：{who}，联系电话：{phone}。")

    def channels(self):
        """Where else the item is posted (a varied closing line)."""
        where = self.pick(CHANNELS[self.unit.unit_type in ("village", "community")])
        return p(self.pick(CHANNEL_LINES).format(where=where, unit=self.unit.short_name))

    def signature(self):
        return p(f"{self.unit.title}") + p(cn_date(self.date))


CHANNELS = {
    False: ["县党务公开网、本单位公开栏", "县党务公开网和政务服务中心电子显示屏", "县党务公开网和“云溪党建”微信公众号"],
    True: ["村（社区）党务公开栏", "村（社区）公开栏和村民微信群", "党群服务中心电子显示屏和公开栏", "公开栏和各村民小组张贴点"],
}
CHANNEL_LINES = [
    "本事项同时在{where}公开，不便上网的党员群众可到{unit}查阅纸质材料。",
    "以上内容已同步在{where}发布，公开期满后存档备查。",
    "本公开内容通过{where}同步发布，如与纸质文件不一致，以纸质文件为准。",
    "{unit}将在{where}同步公开，并安排专人解答党员群众的询问。",
]


def p(text):
    return f"<p>{escape(text)}</p>"


def h3(text):
    return f"<h3>{escape(text)}</h3>"


def ol(items):
    return "<ol>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ol>"


def ul(items):
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def rich(*parts):
    return ("rich_text", "".join(parts))


def table(caption, header, rows, first_col_is_header=False):
    """A TableBlock value as the admin's table editor saves it."""
    return (
        "table",
        {
            "data": [list(header)] + [[str(cell) for cell in row] for row in rows],
            "cell": [],
            "mergeCells": [],
            "first_row_is_table_header": True,
            "first_col_is_header": first_col_is_header,
            "table_header_choice": "both" if first_col_is_header else "row",
            "table_caption": caption,
        },
    )


def cn_date(d):
    return f"{d.year}年{d.month}月{d.day}日"


def money(value):
    return f"{value:,.2f}"


def quarter_of(d):
    return (d.month - 1) // 3


def previous_quarter(d):
    """(year, 0-based quarter) of the quarter before the one ``d`` falls in."""
    q = quarter_of(d)
    return (d.year, q - 1) if q else (d.year - 1, 3)


def year_end(year):
    return datetime.date(year, 12, 31)


def expire_if_past(draft, ctx):
    """An item with an end date that has passed is marked 已失效 (its expiry date is set)."""
    if draft.expiry_date and draft.expiry_date < ctx.today:
        draft.validity = "expired"
    return draft


WRITERS = {}
CHAIN_WRITERS = {}


def writer(key):
    def register(fn):
        WRITERS[key] = fn
        return fn

    return register


def chain_writer(key):
    def register(fn):
        CHAIN_WRITERS[key] = fn
        return fn

    return register


def write(key, ctx):
    return WRITERS.get(key, WRITERS["generic"])(ctx)


# ---------------------------------------------------------------------------------------
# 全局和中心工作
# ---------------------------------------------------------------------------------------

GOALS_GENERAL = [
    "抓好党的创新理论武装，全年开展理论学习中心组集体学习不少于{n}次",
    "深化基层党组织标准化规范化建设，软弱涣散党组织整顿转化率达到100%",
    "巩固拓展脱贫攻坚成果，落实防止返贫动态监测和帮扶机制，确保不发生规模性返贫",
    "严格落实全面从严治党主体责任，全年开展廉政谈话不少于{n}人次",
    "推进党务公开规范化建设，按目录应公开事项及时公开率达到100%",
    "办好{n}件为民实事，群众满意度不低于{p}%",
    "落实安全生产、森林防火和防汛抗旱责任，杜绝较大以上安全事故",
    "健全矛盾纠纷多元化解机制，信访事项按期办结率达到{p}%",
    "加强干部队伍建设，全年组织干部专题培训不少于{n}期",
]
GOALS_TOWNSHIP = [
    "发展壮大村级集体经济，集体经济收入10万元以上的村达到{p}%",
    "新发展{industry}{n}00亩，建成标准化示范基地{m}个",
    "完成{m}个村人居环境提升，农村卫生户厕普及率达到{p}%",
    "完成固定资产投资{m}.{n}亿元，引进招商项目{m}个",
]
GOALS_VILLAGE = [
    "村集体经济收入达到{n}万元以上",
    "发展{industry}{n}0亩，带动{m}0户群众增收",
    "完成{m}条村组道路硬化和{n}处人居环境整治点位建设",
    "发展党员{m}名，培养入党积极分子{n}名",
    "坚持每月开展主题党日活动，党员参与率达到{p}%以上",
    "城乡居民医保参保率达到{p}%，养老保险应保尽保",
    "排查化解矛盾纠纷，做到“小事不出组、大事不出村”",
    "重大事项全部履行“四议两公开”程序",
    "组织党员开展志愿服务，全年不少于{m}次",
]
GOAL_PROGRESS = ["已完成", "已完成", "超额完成", "完成年度目标的{p}%", "正在推进，预计{month}月底前完成", "基本完成"]


def _fill(ctx, template):
    return template.format(
        n=ctx.between(3, 12), m=ctx.between(2, 6), p=ctx.between(85, 98), month=ctx.between(10, 12),
        industry=ctx.pick(ctx.unit.facts.get("industries") or c.VILLAGE_INDUSTRIES),
    )


@writer("annual_goals")
def annual_goals(ctx):
    if ctx.is_village:
        pool = GOALS_VILLAGE
    elif ctx.kind == "township":
        pool = GOALS_GENERAL + GOALS_TOWNSHIP
    else:
        pool = GOALS_GENERAL
    goals = [_fill(ctx, t) for t in ctx.sample(pool, ctx.between(5, 7))]
    if ctx.kind == "department":
        goals.insert(0, f"围绕{ctx.unit.facts['duty']}，全面完成县委、县政府下达的年度目标任务")
    month = ctx.date.month
    if month <= 3:
        draft = Draft(
            title=f"{ctx.label}{ctx.year}年度工作目标任务",
            summary=f"公开{ctx.unit.short_name}{ctx.year}年度主要工作目标任务，接受党员群众监督。",
            blocks=[
                rich(
                    p(f"{ctx.opening()}经{ctx.meeting}研究，现将{ctx.year}年度主要工作目标任务公开如下："),
                    ol(goals),
                    p("以上目标任务已分解到班子成员和责任人，年中、年末将公开完成情况。"),
                    ctx.feedback(),
                    ctx.signature(),
                )
            ],
            effective_date=datetime.date(ctx.year, 1, 1),
            expiry_date=year_end(ctx.year),
        )
        return expire_if_past(draft, ctx)
    half = month <= 8
    period = "上半年" if half else f"1—{month - 1 if month > 1 else 1}月"
    rows = [
        [i + 1, goal, _fill(ctx, ctx.pick(GOAL_PROGRESS))]
        for i, goal in enumerate(goals)
    ]
    return Draft(
        title=f"{ctx.label}{ctx.year}年{period}工作目标任务完成情况",
        summary=f"{ctx.unit.short_name}{ctx.year}年{period}目标任务完成情况，共{len(goals)}项。",
        blocks=[
            rich(p(f"{ctx.opening()}现将{ctx.year}年{period}工作目标任务完成情况公开如下。")),
            table(f"{ctx.year}年{period}目标任务完成情况", ["序号", "目标任务", "完成情况"], rows),
            rich(
                p(
                    "对进度滞后的事项，已逐项明确责任领导、责任人和完成时限，"
                    f"{'下半年' if half else '年底前'}将集中力量推进，完成后再次公开。"
                ),
                ctx.feedback(),
            ),
        ],
    )


DECISION_TOPICS = [
    "建立党员干部直接联系服务群众制度",
    "开展基层党组织星级评定工作",
    "推进村级活动场所规范化建设",
    "实施农村党员“双培双带”工程",
    "开展作风建设专项整治",
    "调整党务公开工作领导小组成员",
    "建立重大事项决策风险评估机制",
    "实施村级集体经济强村工程",
    "开展“党员示范岗”创建活动",
    "健全基层党组织书记抓党建述职评议考核办法",
    "建立干部容错纠错和澄清正名机制",
    "推进网格化服务管理与党建工作融合",
]


@writer("major_decision")
def major_decision(ctx):
    topic = ctx.pick(DECISION_TOPICS)
    n = ctx.between(2, 18)
    expected = ctx.between(7, 11)
    items = [
        f"审议通过《关于{topic}的实施方案》，由{ctx.pick(['分管领导', '组织委员', '办公室'])}牵头抓好落实。",
        ctx.pick([
            "研究确定本年度党务公开目录调整事项，新增自选公开内容报上级备案。",
            "听取上季度意见建议办理情况汇报，对未办结事项明确了责任人和办理时限。",
            "研究部署下一阶段安全生产和森林防火工作。",
            "审议通过年度党员教育培训计划。",
        ]),
        ctx.pick([
            "研究同意将涉及群众切身利益的事项纳入预公开范围，决策前公开征求意见。",
            "研究明确专项资金使用须经集体研究、全程公开，接受审计和群众监督。",
            "研究决定对落实不力的事项开展专项督查，结果在党务公开栏公开。",
        ]),
    ]
    return Draft(
        title=f"{ctx.label}{ctx.year}年第{n}次{ctx.meeting}决定事项公开",
        summary=f"{cn_date(ctx.date)}{ctx.meeting}研究决定的{len(items)}项事项，其中包括{topic}。",
        blocks=[
            rich(
                p(
                    f"{cn_date(ctx.date)}，{ctx.unit.short_name}召开{ctx.year}年第{n}次{ctx.meeting}，"
                    f"应到会{expected}人，实到会{expected - ctx.between(0, 2)}人，符合规定人数，"
                    f"{ctx.pick(['纪检监察人员', '党务公开监督员', '相关股室负责人'])}列席会议。会议研究决定以下事项："
                ),
                ol(items),
                p(
                    "会议坚持民主集中制原则，按照“集体领导、民主集中、个别酝酿、会议决定”的要求，"
                    "与会人员充分发表意见，逐项表决通过。涉及人事和不宜公开的内容已按规定处理。"
                ),
                p(f"会议要求，各责任{ctx.pick(['领导', '股室', '站所'])}要在{ctx.between(10, 30)}个工作日内提出落实措施，"
                  "执行情况在下次会议上通报；执行中遇到重大问题的，及时提请会议研究。"),
                ctx.feedback(),
            )
        ],
        stage="decision",
        importance="important",
    )


POLICIES = [
    {
        "name": "耕地地力保护补贴",
        "target": "拥有承包耕地并实际从事种植的农户，已改变用途或长期抛荒的耕地不予补贴",
        "standard": "按确权面积计算，{year}年每亩补贴{a}元，具体以县财政局核定为准",
        "steps": ["农户向村（社区）申报种植面积", "村级核实后张榜公示7天", "乡镇审核汇总报县农业农村局", "县级复核后通过“一卡通”发放"],
        "office": "县农业农村局农经股",
    },
    {
        "name": "城乡居民基本医疗保险集中参保缴费",
        "target": "未参加职工基本医疗保险的城乡居民，含在校学生和新生儿",
        "standard": "个人缴费标准按上级当年通知执行，特困人员、低保对象、返贫致贫人口等按规定享受资助参保",
        "steps": ["通过手机缴费平台或银行网点缴费", "村（社区）代收代缴的当场出具凭证", "缴费次年1月1日起享受待遇"],
        "office": "县医疗保障局",
    },
    {
        "name": "农村危房改造补助",
        "target": "低保户、分散供养特困人员、低保边缘家庭等农村低收入群体中住房不安全的农户",
        "standard": "拆除重建每户补助{b}元，修缮加固每户补助{c}元",
        "steps": ["农户自愿申请", "村民代表评议并公示", "乡镇审核并组织房屋安全鉴定", "县住建局审批", "竣工验收后拨付补助资金"],
        "office": "县住房和城乡建设局村镇股",
    },
    {
        "name": "高龄津贴",
        "target": "具有本县户籍、年满80周岁的老年人",
        "standard": "80至89周岁每人每月{d}元，90至99周岁每人每月{e}元，100周岁以上按省级标准发放",
        "steps": ["本人或家属持户口簿、身份证到村（社区）申请", "乡镇民政办审核", "县民政局审批后按季度发放"],
        "office": "县民政局养老服务股",
    },
    {
        "name": "临时救助",
        "target": "因突发事件、意外伤害、重大疾病等导致基本生活暂时出现严重困难的家庭或个人",
        "standard": "根据困难程度分档救助，一般不超过当地月低保标准的{f}倍，情况紧急的可先行救助",
        "steps": ["向乡镇（街道）或村（社区）提出申请", "入户调查核实", "小额救助由乡镇审批，大额救助报县民政局审批", "救助结果公示"],
        "office": "县民政局社会救助股",
    },
    {
        "name": "脱贫人口小额信贷",
        "target": "有贷款意愿、有就业创业潜质和技能素质、有一定还款能力的脱贫户和监测对象",
        "standard": "5万元以下、3年以内、免担保免抵押、基准利率放贷、财政贴息",
        "steps": ["农户向村提出申请", "村级评级授信", "乡镇审核", "合作银行放贷", "贷后跟踪管理"],
        "office": "县农业农村局",
    },
    {
        "name": "一次性创业补贴",
        "target": "首次创办小微企业或从事个体经营，且正常经营6个月以上的返乡创业人员和高校毕业生",
        "standard": "每户一次性补贴{g}元",
        "steps": ["在县人社局窗口或线上提交申请", "实地核查经营情况", "公示5个工作日", "补贴资金直接拨付到申请人账户"],
        "office": "县人力资源和社会保障局就业股",
    },
]


@writer("policy")
def policy(ctx):
    pol = ctx.pick(POLICIES)
    values = {
        "year": ctx.year, "a": ctx.between(60, 110), "b": ctx.pick([25000, 28000, 30000, 35000]),
        "c": ctx.pick([8000, 10000, 12000]), "d": ctx.pick([30, 50, 60]), "e": ctx.pick([100, 120, 150]),
        "f": ctx.between(2, 6), "g": ctx.pick([3000, 5000, 10000]),
    }
    title = ctx.pick([f"{pol['name']}政策解读", f"关于做好{ctx.year}年{pol['name']}工作的公告", f"{pol['name']}政策明白卡"])
    return Draft(
        title=title,
        summary=f"{pol['name']}的适用对象、补助标准和办理流程。",
        blocks=[
            rich(
                p(f"为让党员群众及时了解、用好{pol['name']}政策，{ctx.unit.short_name}将有关事项公开如下。"),
                h3("一、适用对象"),
                p(pol["target"] + "。"),
                h3("二、标准"),
                p(pol["standard"].format(**values) + "。"),
                h3("三、办理流程"),
                ol(pol["steps"]),
                h3("四、注意事项"),
                p(ctx.pick([
                    "申请人应如实提供家庭人口、收入和财产等情况，提供虚假材料骗取补助的，将依法追回资金并记入信用记录。",
                    "享受对象名单在村（社区）公示期间无异议后方可发放，有异议的由乡镇组织复核。",
                    "政策执行中如上级出台新的规定，以新规定为准，本单位将及时更新公开。",
                ]) + "各村（社区）便民服务站可代办申请，行动不便的群众可申请上门服务。"),
                h3("五、咨询和监督"),
                p(
                    f"政策咨询：{pol['office']}，电话{ctx.phone()}。"
                    "办理过程中不收取任何费用，对优亲厚友、虚报冒领、吃拿卡要等问题，"
                    f"可向县纪委监委或{ctx.unit.short_name}举报。"
                ),
            )
        ],
        effective_date=ctx.date,
    )


PROJECTS = [
    ("{place}至{place2}道路提升改造工程", "路面拓宽硬化{n}.{m}公里，配套排水沟和安全防护设施"),
    ("{place}农村供水保障工程", "新建蓄水池{m}座，铺设供水管网{n}公里"),
    ("{place}{industry}标准化种植基地", "建设标准化基地{n}00亩，配套灌溉设施"),
    ("{place}冷链仓储物流中心", "新建冷库{m}座、分拣车间{n}00平方米"),
    ("{place}集镇污水处理设施", "建设日处理{n}00吨污水处理站及配套管网"),
    ("{place}党群服务中心改造", "改造活动场所{n}00平方米，完善便民服务功能"),
    ("{place}地质灾害隐患点治理", "建设挡墙{n}00米、截排水沟{m}00米"),
    ("{place}高标准农田建设项目", "建成高标准农田{n}000亩，配套机耕路和灌排渠系"),
]


def _place(ctx):
    return ctx.pick(ctx.unit.facts.get("places") or c.VILLAGE_NAMES)


def _project(ctx):
    name, scope = ctx.pick(PROJECTS)
    values = {
        "place": _place(ctx), "place2": _place(ctx), "n": ctx.between(2, 9), "m": ctx.between(1, 6),
        "industry": ctx.pick(ctx.unit.facts.get("industries") or c.VILLAGE_INDUSTRIES),
    }
    if values["place2"] == values["place"]:
        values["place2"] = ctx.pick(c.VILLAGE_NAMES)
    return name.format(**values), scope.format(**values)


@writer("project_progress")
def project_progress(ctx):
    rows = []
    for _ in range(ctx.between(3, 5)):
        name, scope = _project(ctx)
        total = ctx.between(80, 3200)
        done = int(total * ctx.between(15, 100) / 100)
        progress = "已完工" if done == total else ctx.pick(["主体工程施工中", "完成招投标，正在进场", "完成总工程量的{}%".format(int(done * 100 / total))])
        rows.append([name, scope, total, done, progress])
    month = ctx.date.month
    return Draft(
        title=f"{ctx.label}{ctx.year}年重点项目建设推进情况（截至{month}月）",
        summary=f"{ctx.unit.short_name}{len(rows)}个重点项目的投资完成和建设进度。",
        blocks=[
            rich(p(f"{ctx.opening()}现将本单位牵头推进的重点项目建设情况公开如下（金额单位：万元）。")),
            table("重点项目推进情况", ["项目名称", "建设内容", "总投资", "已完成投资", "形象进度"], rows),
            rich(
                p(
                    "项目建设严格执行招标投标、合同管理和资金拨付制度，工程款按进度和监理意见支付。"
                    "对征地拆迁、群众投工投劳等涉及群众利益的事项，实行事前公开、全程公开。"
                ),
                ctx.feedback(),
            ),
        ],
    )


BENEFITS = [
    ("城乡最低生活保障金", 380, 620),
    ("特困人员基本生活费", 700, 1100),
    ("高龄津贴", 50, 150),
    ("困难残疾人生活补贴", 80, 120),
    ("重度残疾人护理补贴", 80, 120),
    ("孤儿基本生活费", 1200, 1600),
    ("耕地地力保护补贴", 60, 110),
    ("森林生态效益补偿", 14, 16),
    ("临时救助金", 800, 3000),
]


@writer("benefit_funds")
def benefit_funds(ctx):
    year, q = previous_quarter(ctx.date)
    rows, total = [], 0
    scale = 1 if ctx.is_village else ctx.between(8, 40)
    for name, low, high in ctx.sample(BENEFITS, ctx.between(4, 6)):
        households = ctx.between(3, 40) * scale
        persons = households + ctx.between(0, households)
        amount = persons * ctx.between(low, high) * (3 if "生态" not in name and "地力" not in name else 1)
        total += amount
        rows.append([name, households, persons, money(amount)])
    rows.append(["合计", "—", "—", money(total)])
    return Draft(
        title=f"{ctx.label}{year}年{c.QUARTERS[q]}惠民资金发放情况公示",
        summary=f"{year}年{c.QUARTERS[q]}各类惠民资金共发放{money(total)}元，均通过“一卡通”直接发放到户。",
        blocks=[
            rich(
                p(
                    f"{ctx.opening()}现将{year}年{c.QUARTERS[q]}{'本村（社区）' if ctx.is_village else '本单位经办的'}"
                    "惠民惠农资金发放情况公示如下。所列资金均通过社会保障卡（“一卡通”）直接发放到户，"
                    "任何单位和个人不得代领、截留或挪用。"
                )
            ),
            table(f"{year}年{c.QUARTERS[q]}惠民资金发放情况（单位：户、人、元）", ["项目", "户数", "人数", "金额"], rows),
            rich(
                p("具体发放对象名单已在村（社区）公开栏张贴，涉及个人身份证号码、银行账号等隐私信息的已作脱敏处理。"),
                ctx.feedback(days=7),
                p(c.REPORT_RULES),
            ),
        ],
    )


PRACTICAL_THINGS = [
    ("新建和改造农村公厕{n}座", "{m}月底前"),
    ("为{n}00名60岁以上老年人免费开展健康体检", "10月底前"),
    ("在集镇新增公共停车位{n}0个", "9月底前"),
    ("完成{n}所学校食堂提质改造", "秋季开学前"),
    ("为独居老人安装紧急呼叫设备{n}0套", "6月底前"),
    ("新建村级便民服务站{m}个", "11月底前"),
    ("整治农村道路安全隐患点{n}处", "8月底前"),
    ("开展农村实用技术培训{n}期、培训{m}00人次", "年底前"),
    ("新增城乡公交线路{m}条", "10月底前"),
    ("完成{n}个自然村饮水巩固提升", "年底前"),
]


@writer("practical_things")
def practical_things(ctx):
    chosen = ctx.sample(PRACTICAL_THINGS, ctx.between(5, 7))
    rows = [
        [i + 1, _fill(ctx, what), ctx.pick(["办公室", "社会事务办", "农业农村服务中心", "村镇规划建设服务中心", "相关股室"]), when.format(m=ctx.between(6, 11))]
        for i, (what, when) in enumerate(chosen)
    ]
    draft = Draft(
        title=f"{ctx.label}{ctx.year}年为民办实事项目清单",
        summary=f"{ctx.year}年确定的{len(rows)}件为民实事项目、责任单位和完成时限。",
        blocks=[
            rich(
                p(
                    f"{ctx.unit.short_name}通过入户走访、意见箱和党员群众座谈会征集为民办实事建议{ctx.between(40, 300)}条，"
                    f"经{ctx.meeting}研究，确定{ctx.year}年为民办实事项目{len(rows)}件，现予公开。"
                )
            ),
            table(f"{ctx.year}年为民办实事项目", ["序号", "项目", "责任单位", "完成时限"], rows),
            rich(p("每季度公开一次项目进展，年底由党员、群众代表和监督员参与评议验收。"), ctx.feedback()),
        ],
        effective_date=ctx.date,
        expiry_date=year_end(ctx.year),
    )
    return expire_if_past(draft, ctx)


# ---------------------------------------------------------------------------------------
# 思想政治建设
# ---------------------------------------------------------------------------------------

STUDY_TOPICS = [
    "《中国共产党章程》", "《中国共产党纪律处分条例》", "《中国共产党党务公开条例（试行）》",
    "乡村振兴和农业农村政策", "铸牢中华民族共同体意识", "生态文明建设和河湖长制", "安全生产和防灾减灾",
    "意识形态工作责任制", "基层治理和矛盾纠纷化解", "优化营商环境", "民法典与依法行政", "党的群众路线和作风建设",
    "《中国共产党农村基层组织工作条例》", "保密工作和网络安全", "党史学习和红色资源",
]


@writer("study_plan")
def study_plan(ctx):
    months = sorted(ctx.sample(range(2, 13), ctx.between(6, 9)))
    rows = [[f"{m}月", topic, ctx.pick(["集中研讨", "专题辅导", "个人自学与交流发言", "现场教学", "视频学习"])]
            for m, topic in zip(months, ctx.sample(STUDY_TOPICS, len(months)))]
    draft = Draft(
        title=f"{ctx.label}{ctx.year}年理论学习中心组学习计划",
        summary=f"{ctx.year}年理论学习中心组{len(rows)}个专题的学习安排。",
        blocks=[
            rich(
                p(
                    f"为抓好{ctx.year}年理论武装工作，{ctx.unit.short_name}理论学习中心组坚持“第一议题”制度，"
                    f"全年集体学习不少于{len(rows)}次，每次安排1至2名成员重点发言。具体安排如下："
                )
            ),
            table(f"{ctx.year}年学习安排", ["时间", "专题", "形式"], rows),
            rich(
                p("学习情况纳入班子成员年度考核和述职内容，学习记录由办公室统一存档备查。"),
                p("每次集中学习前，办公室提前一周印发学习资料，确定重点发言人；学习中联系本单位工作实际，"
                  "把学习成果转化为解决问题的思路和举措。班子成员每年到联系点或分管领域讲党课不少于1次。"),
                p("如遇上级临时部署，学习内容和时间相应调整，调整情况另行公开。"),
            ),
        ],
        effective_date=datetime.date(ctx.year, 1, 1),
        expiry_date=year_end(ctx.year),
    )
    return expire_if_past(draft, ctx)


CAMPAIGNS = ["党纪学习教育", "“作风建设年”活动", "基层党建质量提升行动", "“强基固本”专题轮训", "党员先锋指数评价工作"]


@writer("education_campaign")
def education_campaign(ctx):
    campaign = ctx.pick(CAMPAIGNS)
    m = ctx.date.month
    phases = [
        f"动员部署（{m}月上旬）：召开动员会，制定学习计划，班子成员带头讲专题党课。",
        f"学习研讨（{m}月中旬至{min(m + 2, 12)}月）：以读书班、专题研讨和警示教育为主要形式，每名党员撰写心得体会。",
        f"查摆整改（{min(m + 2, 12)}月）：对照要求查摆问题，建立问题清单和整改台账。",
        "总结评估：开展党员群众满意度测评，形成总结报告报上级党组织。",
    ]
    return Draft(
        title=f"{ctx.label}关于开展{campaign}的工作安排",
        summary=f"{campaign}的目标要求、阶段安排和责任分工，面向党员公开。",
        blocks=[
            rich(
                p(f"按照上级党组织的统一部署，经{ctx.meeting}研究，决定在全体党员中开展{campaign}。现将有关安排通知如下。"),
                h3("一、目标要求"),
                p("坚持学做结合、查改贯通，推动党员干部进一步严守纪律规矩、改进工作作风、提升服务群众能力，"
                  "把学习成效转化为推动发展的实际成果。"),
                h3("二、阶段安排"),
                ol(phases),
                h3("三、工作要求"),
                p(f"党组织书记履行第一责任人职责，{ctx.pick(['组织委员', '分管领导', '办公室'])}负责日常组织和督促检查。"
                  "流动党员通过线上方式参加学习，年老体弱党员由党小组送学上门。"),
            )
        ],
        effective_date=ctx.date,
    )


MEETING_TOPICS = [
    "传达学习上级会议精神", "讨论发展党员和预备党员转正", "研究党费收缴和使用", "通报上季度党务公开情况",
    "研究人居环境整治工作", "组织学习党纪法规", "研究困难党员慰问", "部署森林防火和安全生产", "开展批评与自我批评",
    "研究为民办实事项目进展", "学习先进典型事迹", "讨论年度工作目标",
]


@writer("three_meetings")
def three_meetings(ctx):
    year, q = (ctx.year, quarter_of(ctx.date)) if ctx.chance(0.5) else previous_quarter(ctx.date)
    plan = (year, q) == (ctx.year, quarter_of(ctx.date))
    months = [q * 3 + 1, q * 3 + 2, q * 3 + 3]
    rows = []
    for month in months:
        rows.append([f"{month}月", "支部委员会", ctx.pick(MEETING_TOPICS), "支部委员"])
        rows.append([f"{month}月", "党小组会", ctx.pick(MEETING_TOPICS), "各党小组党员"])
    rows.insert(2, [f"{months[1]}月", "支部党员大会", ctx.pick(MEETING_TOPICS), "全体党员"])
    rows.append([f"{months[2]}月", "党课", f"{ctx.pick(['书记', '副书记', '驻村第一书记', '乡镇联系领导'])}讲授“{ctx.pick(STUDY_TOPICS)}”专题党课", "全体党员"])
    word = "计划" if plan else "开展情况"
    return Draft(
        title=f"{ctx.label}{year}年{c.QUARTERS[q]}“三会一课”{word}",
        summary=f"{year}年{c.QUARTERS[q]}支部委员会、党小组会、支部党员大会和党课的{word}。",
        blocks=[
            rich(
                p(
                    f"{ctx.unit.short_name}{ctx.branch}现有党员{ctx.branch_members}名，下设党小组{max(2, ctx.branch_members // 12)}个。"
                    f"现将{year}年{c.QUARTERS[q]}“三会一课”{word}公开如下。"
                )
            ),
            table(f"“三会一课”{word}", ["时间", "会议类型", "主要内容", "参加人员"], rows),
            rich(
                p(
                    "因疫情防控、农忙或汛期等原因调整的，提前在党员微信群通知；"
                    "外出流动党员通过线上方式参加组织生活，会议记录统一归档。"
                    if plan
                    else f"本季度党员平均参会率{ctx.between(86, 99)}%，无故缺席的党员已由党小组长谈心谈话。"
                ),
                p("“三会一课”坚持以党支部为基本单位，会前确定议题并通知到每名党员，会上如实记录发言和表决情况，"
                  "会后将需要落实的事项分解到人。支部书记每年讲党课不少于1次，班子成员以普通党员身份参加所在党小组活动。"),
            ),
        ],
    )


THEME_DAY_ACTIVITIES = [
    "重温入党誓词", "集中交纳党费", "学习《中国共产党纪律处分条例》有关章节", "开展“清洁家园”志愿服务",
    "走访慰问困难党员和老党员", "观看警示教育片并交流发言", "开展党员“亮身份、作表率”承诺践诺", "讨论本月村（社区）重点工作",
    "到红色教育基地开展现场教学", "开展森林防火和防溺水宣传", "为群众代办医保、社保业务", "开展政策宣讲进农户",
]
THEME_DAY_PLACES = ["党群服务中心会议室", "党员活动室", "新时代文明实践站", "村（社区）广场", "县红色教育基地"]


@writer("theme_day")
def theme_day(ctx):
    month = ctx.date.month
    day = ctx.between(5, 25)
    activities = ctx.sample(THEME_DAY_ACTIVITIES, ctx.between(3, 5))
    theme = ctx.pick(["守纪律 讲规矩", "党员在身边 服务零距离", "人居环境我先行", "学党章 强党性", "防火护林 党员带头", "乡村振兴 党员先行"])
    return Draft(
        title=f"{ctx.label}{ctx.year}年{month}月主题党日活动安排",
        summary=f"{month}月主题党日以“{theme}”为主题，安排{len(activities)}项活动。",
        blocks=[
            rich(
                p(f"为推动党员在{ctx.pick(['基层治理', '乡村振兴', '服务群众', '人居环境整治', '森林防火'])}中发挥先锋模范作用，"
                  f"经{ctx.meeting}研究，{ctx.unit.short_name}{ctx.branch}{ctx.year}年{ctx.date.month}月主题党日活动安排如下。"),
                p(f"活动主题：{theme}"),
                p(f"活动时间：{ctx.year}年{month}月{day}日{ctx.pick(['上午9:00', '上午9:30', '下午2:30', '下午3:00'])}"),
                p(f"活动地点：{ctx.unit.short_name}{ctx.pick(THEME_DAY_PLACES)}"),
                p(f"参加人员：{ctx.unit.short_name}{ctx.branch}全体党员，{ctx.pick(['邀请部分村民代表列席', '入党积极分子列席', '驻村工作队员参加'])}"),
                h3("活动内容"),
                ol(activities),
                h3("有关要求"),
                p("党员无特殊情况不得缺席，确有事不能参加的向党支部书记请假；"
                  "流动党员可通过视频方式参加，并在活动后一周内向所在党小组报告学习情况。"),
                p("活动结束后，党支部将活动开展情况、党员参加情况和收集的意见建议在下月公开。"
                  f"{ctx.pick(['活动期间请注意交通安全', '户外活动请穿着便于行走的服装', '请自带党员学习笔记本'])}。"),
                p(f"联系人：{ctx.contact()[0]}，联系电话：{ctx.contact()[1]}。"),
            )
        ],
    )


@writer("ideology")
def ideology(ctx):
    year = ctx.year - 1 if ctx.date.month <= 3 else ctx.year
    n = ctx.between(4, 12)
    return Draft(
        title=f"{ctx.label}{year}年意识形态工作责任制落实情况",
        summary=f"{year}年落实意识形态工作责任制的主要做法、存在问题和下一步措施。",
        blocks=[
            rich(
                p(f"{year}年，{ctx.unit.short_name}认真落实意识形态工作责任制，现将有关情况报告如下。"),
                h3("一、主要做法"),
                p(f"一是压实责任。{ctx.meeting}专题研究意识形态工作{ctx.between(2, 4)}次，制定责任清单，"
                  "班子成员落实“一岗双责”。二是加强阵地管理。对公开栏、微信公众号和工作群实行“谁主管谁负责、谁发布谁负责”，"
                  f"全年审核发布信息{ctx.between(60, 400)}条。三是抓好舆情处置。建立舆情研判机制，"
                  f"妥善回应群众关切{n}件。"),
                p(f"四是抓好队伍建设。组织宣传思想干部和网评员参加培训{ctx.between(1, 4)}期，"
                  "在新时代文明实践站开展政策宣讲和文明实践活动，推动党的政策进村入户。"),
                h3("二、存在问题"),
                p("对新媒体阵地的管理还不够精细，部分党员对网络舆论斗争的认识有待提高，基层宣讲的针对性还不够强。"),
                h3("三、下一步措施"),
                p("持续加强阵地建设和管理，组织党员干部开展网络素养培训，结合群众关心的政策开展“接地气”宣讲，"
                  "确保意识形态工作各项任务落到实处。"),
            )
        ],
    )


# ---------------------------------------------------------------------------------------
# 组织建设
# ---------------------------------------------------------------------------------------

DUTIES = [
    "分管组织、党建和党务公开工作", "分管纪检监察和党风廉政建设工作", "分管宣传、意识形态和精神文明建设工作",
    "分管经济发展、招商引资和项目建设工作", "分管农业农村、乡村振兴和集体经济工作", "分管安全生产、应急管理和森林防火工作",
    "分管社会事务、民政和退役军人工作", "分管财务、后勤和机关事务工作", "分管政法、信访和综治维稳工作",
    "分管教育、卫生健康和医疗保障工作", "分管自然资源、生态环境和村镇建设工作",
]
POSTS = {
    "county": ["县委书记", "县委副书记、县长", "县委副书记", "县委常委、县纪委书记、县监委主任", "县委常委、组织部部长",
               "县委常委、宣传部部长", "县委常委、常务副县长", "县委常委、政法委书记"],
    "township": ["党委书记", "党委副书记、{head}", "党委副书记", "党委委员、纪委书记", "党委委员、组织委员",
                 "党委委员、宣传委员", "党委委员、副{head}", "党委委员、武装部部长"],
    "village": ["党支部书记、村委会主任", "党支部副书记", "支部委员（组织委员）", "支部委员（宣传委员）", "支部委员（纪检委员）"],
    "community": ["党支部书记、居委会主任", "党支部副书记", "支部委员（组织委员）", "支部委员（宣传委员）", "支部委员（纪检委员）"],
}


def _posts(ctx):
    if ctx.kind == "department":
        head = ctx.unit.head
        body = ctx.unit.body
        if body in ("党组", "党委"):
            return [f"{body}书记、{head}", f"{body}成员、副{head}", f"{body}成员、副{head}", f"{body}成员、纪检组长",
                    f"{body}成员、{ctx.pick(['总工程师', '副' + head, '机关党委书记'])}"]
        return [head, f"常务副{head}", f"副{head}", f"副{head}", "机关党支部书记"]
    posts = POSTS[ctx.kind]
    head = "镇长" if ctx.unit.short_name.endswith("镇") else "乡长"
    return [post.format(head=head) for post in posts]


@writer("leadership_duties")
def leadership_duties(ctx):
    posts = _posts(ctx)
    names = ctx.people(len(posts))
    lines = []
    duties = ctx.sample(DUTIES, len(posts))
    for i, (post, name) in enumerate(zip(posts, names)):
        duty = "主持全面工作" if i == 0 else duties[i]
        if ctx.is_village and i > 0:  # villages: the committee's own duties
            duty = ctx.pick(["负责党员教育管理和发展党员工作", "负责宣传和精神文明建设工作", "负责村务监督和纪律检查工作",
                             "负责产业发展和集体经济工作", "负责人居环境整治和护林防火工作"])
        lines.append(f"{name}：{post}，{duty}。")
    draft = Draft(
        title=f"{ctx.label}领导班子成员分工" if not ctx.is_village else f"{ctx.label}委员分工",
        summary=f"{ctx.unit.short_name}班子成员{len(posts)}人的职务和工作分工。",
        blocks=[
            rich(
                p(f"经{ctx.meeting}研究，{ctx.unit.short_name}{'领导班子成员' if not ctx.is_village else '支部委员'}工作分工如下："),
                ul(lines),
                p("班子成员按照分工各负其责，对分管领域的党风廉政建设和意识形态工作负直接领导责任。"
                  "一人外出时，由书记指定其他成员代为履职。"),
                p("班子成员按照分工联系村（社区）或股室，每月到联系点工作不少于4天，帮助解决实际困难。"
                  if not ctx.is_village else
                  f"支部委员按照分工联系村民小组和党员户，每月至少走访一次，收集群众意见建议。"
                  f"{ctx.label}下设党小组{ctx.unit.facts['branches']}个，党小组长由支部委员会提名、党小组党员讨论确定，"
                  "负责组织本小组党员参加组织生活和联系服务群众。"),
                p("分工如有调整，将及时更新公开。"),
            )
        ],
        effective_date=ctx.date,
    )
    later = (ctx.today - ctx.date).days
    if later > 240 and ctx.chance(0.35):
        draft.validity = "repealed"
        draft.expiry_date = ctx.days_later(ctx.between(180, later))
    return draft


LIFE_PROBLEMS = [
    "理论学习的系统性不够，学用结合不紧", "深入基层调研不够，对群众急难愁盼问题掌握不全",
    "抓工作落实有“重部署、轻督查”现象", "开展批评时辣味不足，对同志提意见有顾虑", "会议文件仍然偏多，基层负担有所反弹",
    "对下属党组织党务公开工作指导不够", "服务群众的办法不多，办事效率有待提高", "执行财务制度不够严格，个别票据手续不全",
]


@writer("democratic_life")
def democratic_life(ctx):
    year = ctx.year - 1 if ctx.date.month <= 4 else ctx.year
    problems = ctx.sample(LIFE_PROBLEMS, ctx.between(3, 5))
    kind = "专题组织生活会" if ctx.is_village else "民主生活会"
    return Draft(
        title=f"{ctx.label}{year}年度{kind}召开情况通报",
        summary=f"{year}年度{kind}的会前准备、会议情况和查摆的{len(problems)}个方面问题。",
        blocks=[
            rich(
                p(f"{cn_date(ctx.date - datetime.timedelta(days=ctx.between(5, 20)))}，{ctx.unit.short_name}召开{year}年度{kind}。"
                  f"会前通过座谈、发放征求意见表等方式征求意见建议{ctx.between(12, 60)}条，班子成员之间开展谈心谈话{ctx.between(10, 40)}人次。"
                  f"{ctx.pick(['县委督导组', '上级党组织派员', '县纪委监委派员'])}到会指导。"),
                p("会上，主要负责人代表班子作对照检查，班子成员逐一发言，开展批评和自我批评。查摆的主要问题有："),
                ol(problems),
                p(f"会议开展批评意见{ctx.between(12, 40)}条，每名成员接受批评意见不少于3条，"
                  "批评坦诚具体，自我批评深刻到位，达到了“团结—批评—团结”的目的。"
                  f"{ctx.pick(['督导组对会议质量给予肯定', '会议质量测评“好”的比例超过90%', '与会同志一致认为会议开出了高质量'])}。"),
                p("针对查摆的问题，会后将制定整改方案，明确整改措施和时限，整改情况在本单位范围内公开。"),
            )
        ],
        importance="important" if not ctx.is_village else "general",
    )


@writer("rectification")
def rectification(ctx):
    year = ctx.year - 1 if ctx.date.month <= 6 else ctx.year
    problems = ctx.sample(LIFE_PROBLEMS, ctx.between(3, 5))
    measures = [
        "制定学习计划，每月集中学习不少于1次", "班子成员每季度到联系点调研不少于2次", "建立工作落实督办台账，每月通报",
        "严格控制会议和发文数量，推行“短会”制度", "完善财务审批流程，开展票据专项自查", "建立群众诉求限时办结机制",
    ]
    rows = [[i + 1, problem, ctx.pick(measures), ctx.pick(["已完成", "已完成", "持续整改", "已完成并建立长效机制"])]
            for i, problem in enumerate(problems)]
    return Draft(
        title=f"{ctx.label}{year}年度民主生活会查摆问题整改落实情况",
        summary=f"{year}年度民主生活会查摆的{len(rows)}个问题的整改措施和进展。",
        blocks=[
            rich(p(f"针对{year}年度民主生活会查摆的问题，{ctx.unit.short_name}逐项制定整改措施，"
                   "由主要负责人牵头、班子成员分工负责，实行清单化管理、台账式推进，"
                   f"每月由{ctx.pick(['办公室', '组织委员', '纪检委员'])}调度一次进展。现将整改落实情况通报如下。")),
            table("问题整改台账", ["序号", "问题", "整改措施", "进展"], rows),
            rich(
                p("已完成整改的事项实行销号管理，需要长期坚持的事项纳入制度规范，接受党员监督。"),
                p(f"整改中新建立或修订完善制度{ctx.between(2, 6)}项。对整改不到位、问题反弹的，将在下一年度民主生活会上"
                  "作为重点进行对照检查。党员对整改情况有意见的，可向本单位党组织或上级党组织反映。"),
            ),
        ],
    )


@writer("election")
def election(ctx, candidates=None):
    candidates = candidates or ctx.people(ctx.between(6, 8))
    names = ctx.sample(candidates, len(candidates) - 1)  #差额选举: one candidate is not elected
    if ctx.members > 150:
        meeting, present = "党员代表大会", f"应到代表{ctx.between(150, 260)}名"
    else:
        meeting, present = "党员大会", f"应到党员{ctx.members}名"
    return Draft(
        title=f"{ctx.label}换届选举结果公告",
        summary=f"{ctx.unit.short_name}选举产生新一届委员会委员{len(names)}名。",
        blocks=[
            rich(
                p(f"{cn_date(ctx.date - datetime.timedelta(days=ctx.between(1, 6)))}，{ctx.unit.short_name}召开{meeting}，"
                  f"{present}，实到人数超过应到人数的五分之四，符合规定。"
                  f"大会采取无记名投票、差额选举的方式，选举产生新一届委员会委员{len(names)}名（按姓氏笔画排序）："),
                p("、".join(sorted(names))),
                p(f"随后召开的委员会第一次全体会议选举{names[0]}为书记，{names[1]}为副书记。选举结果已报上级党组织批复。"),
                p("大会通过了选举办法和总监票人、监票人、计票人名单，候选人名单按姓氏笔画排列。"
                  f"{ctx.pick(['上级党组织派员', '乡镇纪委派员', '县委组织部派员'])}全程指导和监督，"
                  "选举过程严格执行换届纪律“十严禁”要求，未发现拉票贿选等违纪违规行为。"),
                p("新一届委员会将认真履行职责，团结带领党员群众完成各项目标任务，自觉接受党员和群众监督。"),
                ctx.signature(),
            )
        ],
        stage="result",
        importance="important",
    )


@writer("party_dues")
def party_dues(ctx):
    year, q = previous_quarter(ctx.date)
    members = ctx.branch_members
    paying = members - ctx.between(0, max(1, members // 15))
    # monthly dues per member: salaried cadres pay a share of their pay, farmers a token sum
    low, high = (0.5, 3.5) if ctx.is_village else (25, 90)
    rate = ctx.rng.uniform(low, high)
    rows, total = [], 0
    for month in range(q * 3 + 1, q * 3 + 4):
        amount = round(paying * rate * ctx.rng.uniform(0.93, 1.07), 2)
        total += amount
        rows.append([f"{month}月", members, paying, money(amount)])
    rows.append(["合计", "—", "—", money(total)])
    returned = round(total * ctx.pick([0.5, 0.6, 0.7]), 2)
    used = ctx.pick(["慰问生活困难党员和老党员", "购买党员学习资料", "开展主题党日活动", "表彰优秀共产党员"])
    return Draft(
        title=f"{ctx.label}{year}年{c.QUARTERS[q]}党费收缴使用情况公示",
        summary=f"{year}年{c.QUARTERS[q]}应交党费党员{members}名，收缴党费{money(total)}元，全部按规定上缴。",
        blocks=[
            rich(p(f"根据《关于中国共产党党费收缴、使用和管理的规定》，现将{ctx.unit.short_name}{ctx.branch}"
                   f"{year}年{c.QUARTERS[q]}党费收缴、使用情况公示如下（单位：人、元）。")),
            table(f"{year}年{c.QUARTERS[q]}党费收缴情况", ["月份", "党员人数", "已交纳人数", "收缴金额"], rows),
            rich(
                p(f"本季度收缴的党费已全额上缴上级党委组织部门。上级下拨党费{money(returned)}元，"
                  f"经支部委员会研究，用于{used}，支出凭证齐全，已由党员代表核对。"),
                p("对未按时交纳党费的党员，党小组已逐一提醒；长期外出的流动党员可通过手机交纳。"),
                ctx.feedback(days=7),
            ),
        ],
    )


CADRE_POSTS = [
    ("{short}办公室主任", "{short}办公室副主任"), ("{short}副{head}", "{short}综合股股长"),
    ("乡镇党委副书记", "{short}股室负责人"), ("{short}机关党支部书记", "{short}机关党支部副书记"),
    ("县直单位副职领导", "乡镇党委委员"), ("{short}党建办主任", "{short}党政办副主任"),
]
EDUCATION = ["大学", "大学", "研究生", "大专", "中央党校大学"]


@writer("cadre_appointment")
def cadre_appointment(ctx):
    if ctx.chance(0.3):
        year = ctx.year - 1
        names = ctx.people(ctx.between(2, 5))
        return Draft(
            title=f"{ctx.label}{year}年度考核优秀等次人员公示",
            summary=f"{year}年度公务员（参公人员）考核拟定优秀等次{len(names)}人。",
            blocks=[
                rich(
                    p(f"根据公务员考核有关规定，经个人总结、民主测评和{ctx.meeting}研究，"
                      f"拟确定以下{len(names)}名同志{year}年度考核为优秀等次：{'、'.join(names)}。"),
                    p(f"考核共测评{ctx.between(20, 80)}人，优秀等次比例控制在规定范围内，"
                      "对测评得分排名靠后的人员已由主要负责人进行提醒谈话。"),
                    p("年度考核坚持平时考核与年度考核相结合，重点考核政治素质、履职能力、工作实绩和廉洁自律情况，"
                      "平时考核结果作为年度考核的重要依据。考核结果作为调整职务、职级、工资以及奖励、培训的依据。"),
                    ctx.feedback(days=5),
                    p(c.REPORT_RULES),
                )
            ],
        )
    n = ctx.between(1, 3)
    rows = []
    short = ctx.unit.short_name.replace("党组", "").replace("党委", "")
    for name in ctx.people(n):
        gender = ctx.pick("男男女")
        birth = f"{ctx.between(1976, 1994)}.{ctx.between(1, 12):02d}"
        now, next_post = ctx.pick(CADRE_POSTS)
        rows.append([name, gender, birth, ctx.pick(EDUCATION), now.format(short=short, head=ctx.unit.head or "主任"),
                     next_post.format(short=short, head=ctx.unit.head or "主任")])
    # the table lists the current post second to last, then the proposed one
    rows = [[r[0], r[1], r[2], r[3], r[5], r[4]] for r in rows]
    return Draft(
        title=f"{ctx.label}干部任前公示",
        summary=f"拟任职干部{n}名，公示期5个工作日。",
        blocks=[
            rich(p(f"为进一步扩大干部工作民主，接受群众监督，根据《党政领导干部选拔任用工作条例》，"
                   f"经{ctx.meeting}研究，现将拟任职干部有关情况公示如下。")),
            table("拟任职干部情况", ["姓名", "性别", "出生年月", "学历", "现任职务", "拟任职务"], rows),
            rich(
                p("上述同志已经民主推荐、组织考察、征求纪检监察机关意见和个人有关事项报告查核，"
                  "考察中未发现影响任职的问题。公示不等于任职，公示期满对没有问题或反映问题不影响任职的，按程序办理任职手续。"),
                p(f"公示期为{cn_date(ctx.date)}至{cn_date(ctx.days_later(7))}（5个工作日）。"
                  f"公示期间，如对公示对象有不同意见，可向县委组织部干部监督股或{ctx.unit.short_name}反映，"
                  f"监督电话：{ctx.phone()}。"),
                p(c.REPORT_RULES),
            ),
        ],
        importance="important",
    )


NEW_MEMBER_STAGES = [
    ("入党积极分子", "确定为入党积极分子", "经党小组推荐、支部委员会研究"),
    ("发展对象", "列为发展对象", "经听取党小组、培养联系人、党员和群众意见，支部委员会研究"),
    ("拟接收预备党员", "接收为中共预备党员", "经支部委员会审查、上级党委预审"),
    ("预备党员转正", "按期转为中共正式党员", "经本人申请、党小组意见和支部委员会审查"),
]


@writer("new_members")
def new_members(ctx):
    label, action, process = ctx.pick(NEW_MEMBER_STAGES)
    n = ctx.between(1, 4)
    rows = []
    for name in ctx.people(n):
        gender = ctx.pick("男男女女男")
        birth = f"{ctx.between(1975, 2003)}年{ctx.between(1, 12)}月"
        applied = f"{ctx.year - ctx.between(1, 3)}年{ctx.between(1, 12)}月"
        job = ctx.pick(["务农", "村民小组长", "返乡创业人员", "村务监督委员", "教师", "乡村医生", "个体工商户", "大学生村官", "机关干部"])
        rows.append([name, gender, birth, ctx.pick(["初中", "高中", "中专", "大专", "大学"]), job, applied])
    days = ctx.pick([5, 7])
    return Draft(
        title=f"{ctx.label}关于{rows[0][0]}{'等' + str(n) + '名同志' if n > 1 else '同志'}{action}的公示",
        summary=f"{label}公示，共{n}名，公示期{days}天。",
        blocks=[
            rich(p(f"根据《中国共产党发展党员工作细则》，{process}，拟将以下{n}名同志{action}。现予公示。")),
            table(f"{label}基本情况", ["姓名", "性别", "出生年月", "学历", "职业", "递交入党申请书时间"], rows),
            rich(
                p("公示期间，党员群众可通过来信、来电或来访等方式反映公示对象在政治表现、道德品质、"
                  "遵纪守法和履行义务等方面的情况和问题。"),
                ctx.feedback(days=days),
                p(c.REPORT_RULES),
            ),
        ],
    )


@writer("member_evaluation")
def member_evaluation(ctx):
    year = ctx.year - 1 if ctx.date.month <= 4 else ctx.year
    total = ctx.branch_members
    excellent = max(1, total // ctx.between(6, 9))
    basic = ctx.between(0, max(1, total // 25))
    failed = 1 if total > 30 and ctx.chance(0.25) else 0
    absent = ctx.between(0, 3)
    qualified = total - excellent - basic - failed - absent
    rows = [["优秀", excellent], ["合格", qualified], ["基本合格", basic], ["不合格", failed], ["因病、外出等未参评", absent]]
    names = ctx.people(min(excellent, 6))
    return Draft(
        title=f"{ctx.label}{year}年度民主评议党员结果公示",
        summary=f"参评党员{total - absent}名，评定优秀{excellent}名、合格{qualified}名、基本合格{basic}名、不合格{failed}名。",
        blocks=[
            rich(p(f"按照上级关于开展{year}年度民主评议党员工作的安排，{ctx.unit.short_name}{ctx.branch}通过学习教育、个人自评、"
                   "党员互评、民主测评和组织评定等程序，完成了民主评议党员工作。评议结果如下（单位：名）：")),
            table("评议结果", ["等次", "人数"], rows),
            rich(
                p(f"评定为优秀的党员：{'、'.join(names)}{'等' if excellent > len(names) else ''}。"),
                p("对评定为基本合格的党员，由支部书记进行谈心谈话，限期改进；"
                  + ("对评定为不合格的党员，按规定进行组织处置。" if failed else "本年度无评定为不合格的党员。")),
                p("评议中收集到党员群众对党组织的意见建议，已梳理形成问题清单，纳入党组织年度整改。"),
                ctx.feedback(days=5),
            ),
        ],
    )


@writer("org_overview")
def org_overview(ctx):
    facts = ctx.unit.facts
    branches = facts.get("branches") or ctx.between(3, 12)
    women = int(ctx.members * ctx.rng.uniform(0.18, 0.4))
    young = int(ctx.members * ctx.rng.uniform(0.3, 0.55))
    minority = int(ctx.members * ctx.rng.uniform(0.1, 0.45))
    return Draft(
        title=f"{ctx.label}党组织设置和党员队伍基本情况",
        summary=f"下设基层党组织{branches}个，党员{ctx.members}名。",
        blocks=[
            rich(
                p(f"截至{cn_date(ctx.date)}，{ctx.unit.short_name}共有基层党组织{branches}个，党员{ctx.members}名。"),
                ul([
                    f"女党员{women}名，占{women * 100 // ctx.members}%；",
                    f"少数民族党员{minority}名，占{minority * 100 // ctx.members}%；",
                    f"35岁及以下党员{young // 2}名，36至60岁党员{young}名；",
                    f"大专及以上学历党员{int(ctx.members * ctx.rng.uniform(0.3, 0.8))}名；",
                    f"流动党员{ctx.between(0, max(1, ctx.members // 10))}名，均已纳入流入地或原党组织管理。",
                ]),
                p(f"{ctx.year - 1}年，{ctx.unit.short_name}发展党员{ctx.between(1, max(2, ctx.members // 60))}名，"
                  f"预备党员按期转正{ctx.between(1, max(2, ctx.members // 70))}名，接转组织关系{ctx.between(2, 30)}人次，"
                  f"党员因病去世{ctx.between(0, max(1, ctx.members // 80))}名。党员平均年龄{ctx.between(44, 58)}岁。"),
                p("党员日常管理实行积分制，积分结果与评先评优、民主评议挂钩；对年老体弱和行动不便的党员，"
                  "由党小组长定期上门送学、听取意见。流动党员通过线上党支部参加组织生活，按时交纳党费。"),
                p("党组织设置和党员结构发生变化的，在每年党内统计后更新公开。"),
                ctx.channels(),
            )
        ],
        effective_date=ctx.date,
    )


# ---------------------------------------------------------------------------------------
# 作风建设
# ---------------------------------------------------------------------------------------

RESPONSIBILITIES = [
    "每年至少专题研究党风廉政建设工作{m}次", "主要负责人对班子成员和下级党组织书记开展廉政谈话全覆盖",
    "落实“三重一大”集体决策制度，决策过程全程记录", "每季度开展一次廉政风险点排查", "配合县纪委监委做好日常监督和专项检查",
    "对群众反映的问题线索按规定及时处置", "组织开展警示教育不少于{m}次", "严格执行干部选拔任用和财务管理各项规定",
]


@writer("integrity_responsibility")
def integrity_responsibility(ctx):
    items = [_fill(ctx, t) for t in ctx.sample(RESPONSIBILITIES, ctx.between(5, 7))]
    draft = Draft(
        title=f"{ctx.label}{ctx.year}年党风廉政建设主体责任清单",
        summary=f"{ctx.year}年落实全面从严治党主体责任的{len(items)}项任务。",
        blocks=[
            rich(
                p(f"为压紧压实全面从严治党主体责任，经{ctx.meeting}研究，制定{ctx.unit.short_name}{ctx.year}年党风廉政建设主体责任清单："),
                ol(items),
                p("主要负责人是第一责任人，班子成员对分管领域负直接责任。清单落实情况纳入年度述职述廉，年底公开。"),
                p(f"{ctx.pick(['纪检委员', '纪委书记', '派驻纪检监察组'])}履行监督责任，每季度对主体责任落实情况进行提醒和检查，"
                  "发现问题及时向主要负责人报告并督促整改。对责任落实不力、造成不良影响的，按照《中国共产党问责条例》严肃问责。"),
                p("党员群众可对清单落实情况进行监督，发现党员干部违反廉洁纪律问题的，可向县纪委监委举报。"),
            )
        ],
        effective_date=datetime.date(ctx.year, 1, 1),
        expiry_date=year_end(ctx.year),
    )
    return expire_if_past(draft, ctx)


@writer("integrity_report")
def integrity_report(ctx):
    year = ctx.year - 1 if ctx.date.month <= 6 else ctx.year
    name = ctx.person()
    post = _posts(ctx)[0]
    return Draft(
        title=f"{name}同志{year}年度述职述廉报告",
        summary=f"{ctx.unit.short_name}{post}{name}{year}年度履职和廉洁自律情况。",
        blocks=[
            rich(
                p(f"{year}年，本人担任{ctx.unit.short_name}{post}，现将一年来的履职和廉洁自律情况报告如下，请予评议。"),
                h3("一、履职情况"),
                p(f"带头落实“第一议题”制度，全年主持{ctx.meeting}{ctx.between(12, 30)}次，研究重大事项{ctx.between(8, 40)}项，"
                  f"深入基层调研{ctx.between(20, 60)}天，协调解决群众反映的实际问题{ctx.between(10, 50)}件。"),
                h3("二、廉洁自律情况"),
                p("严格执行中央八项规定精神，没有违规收受礼品礼金，没有违规使用公车，没有插手工程项目和干部选拔任用。"
                  "本人配偶、子女均未在本单位管辖范围内经商办企业。按规定如实报告个人有关事项。"),
                p(f"认真履行党风廉政建设第一责任人职责，全年与班子成员和下级党组织负责人开展廉政谈话{ctx.between(10, 40)}人次，"
                  f"带头讲廉政党课{ctx.between(1, 3)}次，对群众反映的{ctx.between(2, 12)}件问题线索督促核查办理。"),
                h3("三、存在的不足和努力方向"),
                p("抓制度执行的力度还需加强，对年轻干部的教育管理还不够经常。今后将坚持以身作则，"
                  "自觉接受组织和党员群众监督。"),
            )
        ],
    )


@writer("eight_rules")
def eight_rules(ctx):
    year, q = previous_quarter(ctx.date)
    rows = [
        ["公务接待", f"{ctx.between(0, 18)}批次", money(ctx.between(0, 9000) + ctx.rng.random())],
        ["公务用车运行维护", f"{ctx.between(1, 4)}辆", money(ctx.between(2000, 16000) + ctx.rng.random())],
        ["召开会议", f"{ctx.between(3, 20)}次", money(ctx.between(0, 6000))],
        ["印发文件", f"{ctx.between(5, 40)}件", "—"],
        ["开展督查检查", f"{ctx.between(0, 6)}次", "—"],
    ]
    return Draft(
        title=f"{ctx.label}{year}年{c.QUARTERS[q]}落实中央八项规定精神情况",
        summary=f"{year}年{c.QUARTERS[q]}公务接待、公务用车、会议和发文情况。",
        blocks=[
            rich(p(f"现将{ctx.unit.short_name}{year}年{c.QUARTERS[q]}落实中央八项规定及其实施细则精神的有关情况公开如下（金额单位：元）。")),
            table("有关情况", ["项目", "数量", "支出金额"], rows),
            rich(
                p("本季度无超标准接待、无公车私用、无违规发放津补贴情况。"
                  f"{ctx.pick(['会议和文件数量同比下降', '持续精简会议文件', '严格落实基层减负要求'])}，欢迎党员群众监督。"),
                p("公务接待严格执行“公函+清单”制度，一律在机关食堂或定点场所安排工作餐，不上高档菜肴和酒水；"
                  "公务用车实行集中管理、派车单登记和定位监控，节假日封存；"
                  f"会议能合并的合并、能视频的视频，本季度以视频方式召开会议{ctx.between(1, 6)}次。"),
                p(f"季度末，{ctx.pick(['纪检委员', '机关纪委', '分管领导'])}对接待清单、派车记录和会议台账进行了抽查，"
                  f"发现并纠正{ctx.pick(['报销单据填写不规范', '派车单事由填写不具体', '接待清单未及时签字'])}等问题{ctx.between(1, 3)}个。"),
                ctx.channels(),
            ),
        ],
    )


CASES = [
    ("{who}在{what}中优亲厚友", "给予党内警告处分"),
    ("{who}违规收受管理服务对象礼金", "给予党内严重警告处分，收缴违纪款"),
    ("{who}在{what}中虚报冒领", "给予撤销党内职务处分，追缴全部资金"),
    ("{who}违规使用公车办理私事", "给予诫勉谈话，责令作出书面检查"),
    ("{who}在{what}中履职不力、工作失职", "给予党内警告处分"),
    ("{who}违规操办升学宴", "给予党内警告处分，退还所收礼金"),
]
CASE_WHO = ["某村原党支部书记王某某", "某乡镇干部李某某", "某站所工作人员张某", "某村报账员杨某某", "某村村民小组长赵某某", "某单位原副职刘某某"]
CASE_WHAT = ["低保评定", "危房改造补助审核", "集体工程项目管理", "耕地地力保护补贴申报", "集体资金管理", "扶贫项目验收"]


@writer("discipline_cases")
def discipline_cases(ctx):
    n = ctx.between(2, 4)
    lines = []
    for who, (case, penalty) in zip(ctx.sample(CASE_WHO, n), ctx.sample(CASES, n)):
        what = ctx.pick(CASE_WHAT)
        year = ctx.year - ctx.between(0, 1)
        lines.append(f"{case.format(who=who, what=what)}问题。{year}年{ctx.between(1, 12)}月，经查实，{penalty}。")
    return Draft(
        title=f"关于{n}起侵害群众利益的不正之风和腐败问题的通报",
        summary=f"通报{n}起发生在群众身边的违纪问题及处理结果。",
        blocks=[
            rich(
                p(f"为持续整治群众身边的不正之风和腐败问题，强化警示教育，现将近期查处的{n}起典型问题通报如下："),
                ol(lines),
                p("以上问题线索主要来源于群众信访举报和日常监督检查，均已查实并作出处理，当事人对处理决定无异议。"),
                p("上述问题发生在群众身边，损害了群众利益和党组织形象。各级党组织要深刻汲取教训，"
                  "举一反三开展自查自纠；广大党员干部要引以为戒，严守纪律规矩。"),
                p(f"欢迎党员群众对党员干部违纪违法问题进行监督举报。举报电话：{ctx.phone()}。"),
            )
        ],
        importance="important",
    )


@writer("three_public_funds")
def three_public_funds(ctx):
    year = ctx.year - 1 if ctx.date.month <= 8 else ctx.year
    budget = [ctx.between(0, 2) * 10000, ctx.between(2, 12) * 10000, ctx.between(1, 8) * 10000]
    actual = [int(b * ctx.rng.uniform(0, 0.95)) for b in budget]
    rows = [[name, money(b), money(a)] for name, b, a in zip(["因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"], budget, actual)]
    rows.append(["合计", money(sum(budget)), money(sum(actual))])
    return Draft(
        title=f"{ctx.label}{year}年度“三公”经费决算情况说明",
        summary=f"{year}年度“三公”经费决算支出{money(sum(actual))}元，低于预算。",
        blocks=[
            rich(p(f"根据预决算公开有关规定，现将{ctx.unit.short_name}{year}年度“三公”经费决算情况公开如下（单位：元）。")),
            table(f"{year}年度“三公”经费预决算", ["项目", "预算数", "决算数"], rows),
            rich(
                p("决算数低于预算数的主要原因是严格执行过“紧日子”要求，压减公务接待和车辆运行费用。"
                  f"{'本年度未安排因公出国（境）。' if budget[0] == 0 else ''}"),
                p(f"公务用车购置及运行维护费主要用于{ctx.between(1, 4)}辆公务用车的燃油、维修、保险和过路过桥费用，"
                  "本年度未购置公务用车。"
                  f"公务接待费主要用于接待上级检查指导和兄弟县区考察交流，全年接待{ctx.between(10, 80)}批次、"
                  f"{ctx.between(60, 500)}人次，均按标准安排工作餐。"),
                p("“三公”经费统计口径与部门决算一致，数据经县财政局审核。对公开数据有疑问的，可向本单位财务室咨询。"),
                ctx.channels(),
            ),
        ],
    )


# ---------------------------------------------------------------------------------------
# 制度建设
# ---------------------------------------------------------------------------------------

RULE_ARTICLES = [
    "凡属“三重一大”事项，必须经集体讨论决定，不得以个别征求意见等方式代替会议决定。",
    "会议须有半数以上成员到会方能召开，讨论干部任免须有三分之二以上成员到会。",
    "议题由书记确定，其他成员提出的议题须提前两个工作日报书记同意。",
    "表决采取口头、举手、无记名投票等方式，以应到会成员超过半数同意为通过。",
    "会议研究与成员本人及其亲属有利害关系的事项时，该成员应当回避。",
    "会议决定事项由办公室分解落实，重要事项的落实情况在下次会议上通报。",
    "会议记录由专人负责，会议纪要经主要负责人签发后印发，涉密内容按保密规定管理。",
    "决策事项除涉密外应当在作出决定后及时公开，接受党员群众监督。",
]
DISCLOSURE_ARTICLES = [
    "党务公开坚持“公开是常态、不公开是例外”，除涉及党和国家秘密外，按目录主动公开。",
    "公开事项由公开专员草拟，一般事项经本单位领导小组审核，重要事项经集体研究后报县委党务公开工作领导小组办公室审核。",
    "公开范围分为向社会公开、向全体党员公开、向本单位党员公开和向指定组织或人员公开。",
    "固定公开事项及时更新，定期公开事项按月、季度或年度公开，及时公开事项在事项发生后规定时限内公开。",
    "预公开事项须明确意见征集期限，决策后将意见采纳情况和决策结果一并公开。",
    "党员群众对公开内容提出的意见建议，登记在册、限期办理、及时反馈，办结后销号。",
    "应公开未公开、公开内容不实或泄露秘密的，按规定追究有关人员责任。",
]


@writer("rules")
def rules(ctx):
    articles = ctx.sample(RULE_ARTICLES, ctx.between(6, 8))
    name = ctx.pick(["议事规则", "“三重一大”事项集体决策制度", "会议制度"])
    draft = Draft(
        title=f"{ctx.label}{name}",
        summary=f"{ctx.unit.short_name}{name}，共{len(articles)}条。",
        blocks=[
            rich(
                p(f"为坚持和完善民主集中制，提高决策科学化民主化水平，结合本单位实际，制定本{name[-2:]}。"),
                ol(articles),
                p("会议决定事项确需变更的，须重新提交会议研究；执行中遇到新情况的，由分管领导及时报告。"),
                p(f"本{name[-2:]}自印发之日起施行，由{ctx.unit.short_name}办公室负责解释。"),
            )
        ],
        effective_date=ctx.date,
    )
    later = (ctx.today - ctx.date).days
    if later > 300 and ctx.chance(0.2):
        draft.validity = "repealed"
        draft.expiry_date = ctx.days_later(ctx.between(200, later))
    return draft


@writer("disclosure_rules")
def disclosure_rules(ctx):
    articles = ctx.sample(DISCLOSURE_ARTICLES, ctx.between(6, 7))
    return Draft(
        title=f"{ctx.label}党务公开工作实施办法",
        summary=f"{ctx.unit.short_name}党务公开的原则、程序、范围和责任追究。",
        blocks=[
            rich(
                p(f"根据《中国共产党党务公开条例（试行）》和县委有关规定，结合{ctx.unit.short_name}实际，制定本办法。"),
                ol(articles),
                p("党务公开工作纳入年度党建目标考核，考核结果作为评先评优的重要依据。"
                  "本单位党务公开监督员每季度对公开情况进行评议，评议意见在下季度公开。"),
                p(f"本办法自{cn_date(ctx.date)}起施行，原有规定与本办法不一致的，以本办法为准。"),
            )
        ],
        effective_date=ctx.date,
    )


REFORMS = [
    "村级组织运转经费保障机制改革", "农村集体产权制度改革", "“一窗受理、集成服务”政务服务改革", "乡镇（街道）综合行政执法改革",
    "林权制度改革", "县域医共体建设", "基层党组织“网格化+”治理改革", "干部考核评价机制改革",
]


@writer("reform")
def reform(ctx):
    name = ctx.pick(REFORMS)
    done = ctx.between(40, 100)
    return Draft(
        title=f"{ctx.label}{name}推进情况",
        summary=f"{name}的主要任务、阶段成效和下一步安排。",
        blocks=[
            rich(
                p(f"{ctx.unit.short_name}承担{name}任务，成立了由主要负责人任组长的工作专班，制定了任务清单和时间表，"
                  f"将改革任务分解为{ctx.between(8, 20)}项具体措施，逐项明确牵头领导、责任股室和完成时限。"),
                h3("一、推进情况"),
                p(f"目前已完成改革任务{done}%，{ctx.pick(['完成了清产核资和成员身份确认', '建立了统一受理窗口', '修订完善了配套制度', '完成了试点村评估'])}，"
                  f"{ctx.pick(['群众办事时间平均缩短三分之一', '基层减负成效明显', '集体资产底数进一步摸清', '试点经验已在全县推广'])}。"),
                h3("二、存在问题"),
                p(ctx.pick(["部分村历史遗留问题较多，推进难度大。", "配套政策还不够完善，基层人员业务能力有待提升。", "信息系统尚未完全打通，数据共享不够。"])),
                p("对存在的问题，工作专班已逐项建立台账，明确责任人和完成时限，需要上级协调的已形成专题报告。"),
                h3("三、下一步安排"),
                p("对照时间表倒排工期，每月调度一次，重要节点的进展情况及时公开。"
                  f"{ctx.pick(['年底前完成全部改革任务并开展“回头看”', '下半年选取2个村（单位）开展第二批试点', '配合上级做好改革评估验收'])}，"
                  "改革中涉及群众切身利益的事项，一律先公开征求意见、再集体研究决定。"),
                ctx.feedback(),
            )
        ],
        effective_date=ctx.date,
    )


FEEDBACK_TOPICS = [
    "村组道路破损", "路灯不亮", "饮水管道漏水", "低保评定有疑问", "垃圾清运不及时", "医保缴费咨询", "宅基地审批进度",
    "占道经营", "灌溉沟渠堵塞", "犬只伤人隐患", "安置点物业收费", "土地流转租金未到位",
]


@writer("feedback_ledger")
def feedback_ledger(ctx):
    year, q = previous_quarter(ctx.date)
    received = ctx.between(12, 140)
    closed = int(received * ctx.rng.uniform(0.55, 0.85))
    infeasible = ctx.between(0, max(1, received // 20))
    pending = received - closed - infeasible
    rows = [[i + 1, topic, ctx.pick(["已办结（销号）", "已办结（销号）", "正在办理", "已答复"])]
            for i, topic in enumerate(ctx.sample(FEEDBACK_TOPICS, ctx.between(4, 6)))]
    return Draft(
        title=f"{ctx.label}{year}年{c.QUARTERS[q]}群众意见建议办理情况",
        summary=f"受理{received}件，办结{closed}件，正在办理{pending}件，不具备办理条件{infeasible}件。",
        blocks=[
            rich(
                p(f"{year}年{c.QUARTERS[q]}，{ctx.unit.short_name}通过意见箱、来电来访和入户走访等渠道"
                  f"共受理党员群众意见建议{received}件，已办结{closed}件（已销号），正在办理{pending}件，"
                  f"因政策或条件限制暂不具备办理条件{infeasible}件，均已向反映人说明情况。"),
                p("部分事项办理情况如下："),
            ),
            table("意见建议办理台账（摘录）", ["序号", "反映事项", "办理状态"], rows),
            rich(
                p("正在办理的事项已明确责任人和办结时限，办结后在下季度台账中销号。"
                  "对涉及多个部门的事项，已报请上级协调；对暂不具备条件的事项，已向反映人当面解释并纳入下年度计划统筹考虑。"),
                p(f"本季度通过回访抽查，群众对办理结果表示满意或基本满意的占{ctx.between(88, 99)}%。"),
                ctx.feedback(),
            ),
        ],
    )


# ---------------------------------------------------------------------------------------
# Village (7+X)
# ---------------------------------------------------------------------------------------

VILLAGE_MATTERS = [
    ("{group}村民小组道路硬化", "硬化道路{n}00米，宽{w}米", "上级补助资金和村集体资金"),
    ("{group}村民小组饮水管网改造", "更换主管道{n}00米，新建蓄水池1座", "上级补助资金"),
    ("村集体{industry}种植基地扩建", "流转土地{n}0亩，建设{industry}基地", "衔接资金和村集体资金"),
    ("村级光伏电站收益分配", "将上年度光伏收益{n}万元用于公益岗位和小型公益事业", "光伏电站收益"),
    ("村民活动广场建设", "建设活动广场{n}00平方米，配套健身器材", "一事一议财政奖补资金"),
    ("{group}村民小组灌溉沟渠修复", "修复沟渠{n}公里", "村集体资金和群众投工投劳"),
    ("村集体烤房群租赁经营", "对{n}座烤房统一对外租赁经营", "村集体资产"),
]


def _village_matter(ctx):
    name, scope, funding = ctx.pick(VILLAGE_MATTERS)
    values = {
        "group": ctx.pick(["一", "二", "三", "四", "五", "六", "七", "八"]) + "组" if ctx.chance(0.5) else ctx.pick(c.VILLAGE_NAMES),
        "n": ctx.between(2, 9), "w": ctx.pick(["3.5", "4", "4.5"]),
        "industry": ctx.pick(ctx.unit.facts.get("industries") or c.VILLAGE_INDUSTRIES),
    }
    return name.format(**values), scope.format(**values), funding


@writer("village_decision")
def village_decision(ctx, matter=None):
    matter, scope, funding = matter or _village_matter(ctx)
    agree = ctx.between(20, 40)
    return Draft(
        title=f"{ctx.label}关于{matter}的决议公开",
        summary=f"{matter}经“四议两公开”程序通过，现公开决议。",
        blocks=[
            rich(
                p(f"按照“四议两公开”工作法，{matter}事项已履行以下程序："),
                ol([
                    f"党支部提议：{cn_date(ctx.date - datetime.timedelta(days=20))}，党支部委员会研究提出初步方案。",
                    f"“两委”会议商议：{cn_date(ctx.date - datetime.timedelta(days=16))}，村“两委”联席会议商议完善方案。",
                    f"党员大会审议：{cn_date(ctx.date - datetime.timedelta(days=12))}，应到党员{ctx.members}名，实到{ctx.members - ctx.between(1, 5)}名，审议通过。",
                    f"村民代表会议决议：{cn_date(ctx.date - datetime.timedelta(days=8))}，应到代表{agree + 5}名，实到{agree + 2}名，{agree}名同意，形成决议。",
                ]),
                p(f"决议内容：{scope}，资金来源为{funding}。项目实施由村务监督委员会全程监督，实施结果另行公开。"),
                ctx.feedback(days=7),
            )
        ],
        stage="decision",
        importance="important",
    )


@writer("collective_finance")
def collective_finance(ctx):
    year, q = previous_quarter(ctx.date)
    income = [
        ("上级转移支付（村级组织运转经费）", ctx.between(20000, 60000)),
        ("集体资产租赁收入", ctx.between(0, 40000)),
        ("经营收入", ctx.between(0, 80000)),
        ("其他收入", ctx.between(0, 5000)),
    ]
    spend = [
        ("村干部报酬", ctx.between(20000, 45000)),
        ("办公费、水电费", ctx.between(1000, 6000)),
        ("公益事业支出", ctx.between(0, 30000)),
        ("党组织活动经费", ctx.between(1000, 8000)),
    ]
    rows = [[f"收入：{k}", money(v)] for k, v in income] + [[f"支出：{k}", money(v)] for k, v in spend]
    balance = sum(v for _, v in income) - sum(v for _, v in spend) + ctx.between(10000, 90000)
    rows.append(["期末结余", money(balance)])
    return Draft(
        title=f"{ctx.label}{year}年{c.QUARTERS[q]}村级财务收支情况公开",
        summary=f"{year}年{c.QUARTERS[q]}村集体收入{money(sum(v for _, v in income))}元，支出{money(sum(v for _, v in spend))}元。",
        blocks=[
            rich(p(f"经村务监督委员会审核，现将{ctx.unit.short_name}{year}年{c.QUARTERS[q]}财务收支情况公开如下（单位：元）。")),
            table("财务收支情况", ["项目", "金额"], rows, first_col_is_header=True),
            rich(
                p("本季度各项支出均经村“两委”集体研究、村务监督委员会审核、乡镇农经站审核报账，原始凭证可到村委会查阅。"),
                ctx.feedback(days=10),
            ),
        ],
    )


ASSETS = [
    ("集体鱼塘（{n}亩）承包经营权", "亩", "年"),
    ("集体所有集镇临街门面房（{n}间）租赁", "间", "年"),
    ("集体荒山（{n}00亩）经营权流转", "亩", "年"),
    ("集体烤房（{n}座）租赁", "座", "季"),
    ("活动场所配套商铺（{n}间）租赁", "间", "年"),
]


def _asset(ctx):
    """An asset of the village, named with the village in front, e.g. 河西村集体鱼塘（5亩）承包经营权."""
    name, unit_word, per = ctx.pick(ASSETS)
    return ctx.unit.short_name + name.format(n=ctx.between(2, 9)), unit_word, per


@writer("tender")
def tender(ctx, asset=None):
    asset, _, per = asset or _asset(ctx)
    bidders = ctx.people(ctx.between(3, 5))
    prices = sorted((ctx.between(30, 200) * 100 for _ in bidders), reverse=True)
    rows = [[i + 1, name, money(price), "中标" if i == 0 else "未中标"] for i, (name, price) in enumerate(zip(bidders, prices))]
    return Draft(
        title=f"{asset}招租结果公示",
        summary=f"{asset}经公开竞价，由{bidders[0]}以每{per}{money(prices[0])}元竞得。",
        blocks=[
            rich(p(f"{asset}按照“四议两公开”程序确定招租方案后，于{cn_date(ctx.date - datetime.timedelta(days=ctx.between(3, 10)))}"
                   f"在村委会会议室公开竞价，村务监督委员会和{ctx.pick(['乡镇农经站', '乡镇纪委', '群众代表'])}现场监督。结果如下："),
              ),
            table("竞价结果（单位：元）", ["序号", "竞价人", f"报价（每{per}）", "结果"], rows),
            rich(
                p("竞价结束后，竞得人当场签字确认，并在10日内与村集体经济组织签订租赁合同、交纳首期租金和履约保证金。"
                  "未竞得人交纳的竞价保证金当场退还。"),
                p("租赁收入全部纳入村集体账户管理，专款用于村内公益事业和集体经济发展。"),
                ctx.feedback(days=5),
            ),
        ],
        stage="result",
    )


@writer("generic")
def generic(ctx):
    name = ctx.entry.name if ctx.entry else "党务工作"
    description = ctx.entry.description if ctx.entry else ""
    rows = [[ctx.pick(["一", "二", "三", "四", "五", "六", "七", "八"]) + "组", ctx.person(), ctx.between(12, 80), ctx.pick(["已落实", "正在落实", "已公示"])]
            for _ in range(ctx.between(3, 6))]
    return Draft(
        title=f"{ctx.label}{ctx.year}年{name}",
        summary=f"{ctx.unit.short_name}{name}（{ctx.year}年）。{description}",
        blocks=[
            rich(
                p(f"“{name}”是{ctx.unit.short_name}结合党员群众意见确定的自选公开事项。{description}"),
                p(f"经{ctx.meeting}研究，现将{ctx.year}年有关情况公开如下。"),
            ),
            table(name, ["村民小组", "负责人", "涉及户数", "落实情况"], rows),
            rich(
                p(f"本事项由{ctx.unit.short_name}党组织书记负总责，村务监督委员会全程监督，"
                  f"具体工作经{ctx.pick(['村民小组会议', '村民代表会议', '党员大会'])}讨论同意后实施。"
                  "各村民小组负责人负责本组的落实和情况收集，发现问题及时报告。"),
                p("对公开内容有不同意见的，可在公示期内向村“两委”或村务监督委员会反映，"
                  "村党组织将在收到意见后5个工作日内核实答复，必要时提交村民代表会议重新研究。"),
                ctx.channels(),
                ctx.feedback(days=7),
            ),
        ],
    )


# ---------------------------------------------------------------------------------------
# Chains: pre-disclosure → decision → result of one matter
# ---------------------------------------------------------------------------------------


def _pre(ctx, title, summary, what, comment_days, measures):
    deadline = ctx.days_later(comment_days)
    return Draft(
        title=title,
        summary=summary,
        blocks=[
            rich(
                p(f"{ctx.opening()}{ctx.unit.short_name}拟{what}。为广泛听取党员群众意见，现将有关方案预公开，征求意见。"),
                p(f"该事项前期已经{ctx.pick(['入户走访', '召开座谈会', '实地踏勘', '党员议事会讨论'])}，"
                  f"{ctx.pick(['群众反映较为集中', '涉及群众切身利益', '关系长远发展'])}，按规定属于决策前须公开征求意见的事项。"),
                h3("一、主要内容"),
                ol(measures),
                h3("二、意见征集"),
                p(f"意见征集时间：{cn_date(ctx.date)}至{cn_date(deadline)}。"
                  f"可通过书面、电话或到{ctx.unit.short_name}当面反映等方式提出意见建议。"
                  f"联系人：{ctx.contact()[0]}，电话：{ctx.contact()[1]}。"),
                p("征集期满后，将对意见建议进行梳理，采纳情况随决策结果一并公开。"
                  f"本方案为征求意见稿，最终内容以{ctx.meeting}研究决定的为准。"),
                p(ctx.pick([
                    "提出意见建议时请写明理由和联系方式，匿名意见同样认真研究，但无法单独反馈。",
                    "对方案中涉及的具体数据有疑问的，可到办公地点查阅测算依据。",
                    "征求意见期间，党员群众也可通过本单位党员代表、村民代表转交书面意见。",
                ])),
                ctx.channels(),
            )
        ],
        stage="pre",
        importance="important",
        comment_deadline=deadline,
    )


@chain_writer("village_decision")
def chain_village_decision(ctx, dates):
    matter_spec = _village_matter(ctx)
    matter, scope, funding = matter_spec
    opinions = ctx.between(3, 18)
    adopted = ctx.between(1, opinions)
    drafts = []
    ctx.date = dates[0]
    drafts.append(_pre(
        ctx, f"{ctx.label}关于{matter}方案的预公开", f"{matter}初步方案征求党员群众意见。", f"实施{matter}",
        ctx.between(5, 10),
        [f"建设内容：{scope}。", f"资金来源：{funding}。", "实施方式：由村“两委”组织实施，村务监督委员会全程监督。",
         "涉及占地的，按照自愿原则协商解决，不强行推进。"],
    ))
    ctx.date = dates[1]
    decision = village_decision(ctx, matter_spec)
    decision.blocks.insert(0, rich(p(f"预公开期间共收到意见建议{opinions}条，采纳{adopted}条，未采纳的已向提出人说明理由。")))
    drafts.append(decision)
    if len(dates) > 2:
        ctx.date = dates[2]
        cost = ctx.between(5, 80) * 1000
        drafts.append(Draft(
            title=f"{ctx.label}{matter}实施结果公开",
            summary=f"{matter}已完成，实际支出{money(cost)}元。",
            blocks=[
                rich(
                    p(f"{matter}于{cn_date(dates[1] + datetime.timedelta(days=10))}开工，{cn_date(ctx.date - datetime.timedelta(days=ctx.between(3, 15)))}完工，"
                      f"经村务监督委员会、村民代表和乡镇有关站所验收合格。"),
                    p(f"项目完成{scope}，{ctx.pick(['群众出行条件明显改善', '解决了群众反映多年的问题', '受益群众' + str(ctx.between(80, 600)) + '户'])}。"),
                    p("项目实施中严格执行“四议两公开”决议，材料采购实行比价，用工优先安排本村脱贫户和监测户，"
                      f"共带动{ctx.between(6, 40)}名群众就近务工。"),
                    p(f"项目实际支出{money(cost)}元，其中材料费{money(cost * 0.6)}元、人工费{money(cost * 0.3)}元、其他{money(cost * 0.1)}元，"
                      f"群众投工投劳{ctx.between(20, 300)}个工日。支出凭证已报乡镇农经站审核。"),
                    ctx.feedback(days=7),
                )
            ],
            stage="result",
        ))
    return drafts


@chain_writer("tender")
def chain_tender(ctx, dates):
    asset_spec = _asset(ctx)
    asset, _, per = asset_spec
    floor = ctx.between(20, 120) * 100
    drafts = []
    ctx.date = dates[0]
    drafts.append(_pre(
        ctx, f"{asset}招租方案（征求意见稿）", f"{asset}招租底价、期限和竞价规则征求意见。", f"对{asset}进行公开招租",
        ctx.between(5, 7),
        [f"招租底价：每{per}{money(floor)}元。", f"租赁期限：{ctx.between(3, 10)}年。", "竞价方式：公开竞价，价高者得。",
         "同等条件下本村集体经济组织成员优先。"],
    ))
    ctx.date = dates[1]
    drafts.append(Draft(
        title=f"{asset}公开招租公告",
        summary=f"{asset}招租方案已经村民代表会议通过，公开接受报名。",
        blocks=[
            rich(
                p(f"{asset}招租方案经征求意见和村民代表会议表决通过，现公告如下："),
                ul([f"招租底价：每{per}{money(floor)}元，每次加价不少于{ctx.pick([100, 200, 500])}元；",
                    f"报名时间：{cn_date(ctx.date)}至{cn_date(ctx.days_later(7))}；",
                    "报名条件：具有完全民事行为能力，无拖欠村集体款项；",
                    f"竞价时间、地点：{cn_date(ctx.days_later(10))}上午9时，村委会会议室。"]),
                p(f"方案征求意见期间收到意见{ctx.between(2, 12)}条，主要涉及租赁期限和租金支付方式，已部分采纳。"
                  "竞价全程由村务监督委员会监督，结果当场公布。"),
                p("报名时须交纳竞价保证金，竞得人的保证金转为履约保证金。承租人不得擅自改变用途或转租，"
                  "违反约定的，村集体经济组织有权解除合同。"),
                ctx.feedback(),
            )
        ],
        stage="decision",
    ))
    if len(dates) > 2:
        ctx.date = dates[2]
        drafts.append(tender(ctx, asset_spec))
    return drafts


@chain_writer("major_decision")
def chain_major_decision(ctx, dates):
    topic = ctx.pick(DECISION_TOPICS)
    doc = f"关于{topic}的实施方案"
    drafts = []
    ctx.date = dates[0]
    drafts.append(_pre(
        ctx, f"关于《{doc}（征求意见稿）》公开征求意见的公告", f"《{doc}（征求意见稿）》向党员群众公开征求意见。", f"出台《{doc}》",
        ctx.between(7, 15),
        ["明确工作目标和责任分工。", "细化主要措施和完成时限。", "建立督查考核和结果运用机制。", "明确经费保障和公开监督要求。"],
    ))
    ctx.date = dates[1]
    opinions = ctx.between(5, 40)
    drafts.append(Draft(
        title=f"关于印发《{doc}》的通知",
        summary=f"《{doc}》经{ctx.meeting}审议通过，现予印发。征求意见期间收到意见{opinions}条。",
        blocks=[
            rich(
                p(f"《{doc}》已经{cn_date(ctx.date - datetime.timedelta(days=ctx.between(2, 8)))}{ctx.meeting}审议通过，现印发给你们，请认真抓好贯彻落实。"),
                p(f"征求意见期间共收到意见建议{opinions}条，采纳{ctx.between(1, opinions)}条，"
                  "主要涉及责任分工、完成时限和考核办法，未采纳意见已逐一说明理由。"),
                p(f"方案自印发之日起施行，执行期间由{ctx.pick(['办公室', '组织部门', '分管领导'])}负责督促检查，"
                  "各责任单位每季度报送一次进展，年底前报送工作总结。"),
                h3("主要内容"),
                ol(["总体要求：坚持问题导向，注重实效，防止形式主义。",
                    f"重点任务：围绕{topic}，分{ctx.between(3, 6)}个方面{ctx.between(10, 24)}项具体措施推进落实。",
                    "保障措施：加强组织领导，定期调度通报，结果纳入年度考核。"]),
                ctx.signature(),
            )
        ],
        stage="decision",
        importance="important",
        effective_date=ctx.date,
    ))
    if len(dates) > 2:
        ctx.date = dates[2]
        drafts.append(Draft(
            title=f"《{doc}》落实情况通报",
            summary=f"{topic}推进情况和下一步措施。",
            blocks=[
                rich(
                    p(f"《{doc}》印发以来，{ctx.unit.short_name}按照方案确定的任务清单逐项推进。现将落实情况通报如下。"),
                    p(f"一是任务完成情况。方案确定的具体措施已完成{ctx.between(60, 100)}%，"
                      f"{ctx.pick(['所有责任单位均已建立工作台账', '形成了一批可复制的经验做法', '群众满意度测评达到较高水平'])}。"),
                    p(f"二是存在问题。{ctx.pick(['个别责任单位推进较慢', '部分措施与基层实际结合不够紧', '资金保障还需进一步加强'])}，"
                      "已责成相关责任人限期整改。"),
                    p("三是下一步工作。持续跟踪问效，将落实情况纳入年度考核，并适时公开。"),
                    p(f"方案实施过程中共收到党员群众意见建议{ctx.between(3, 30)}条，已全部办理答复。"
                      f"{ctx.pick(['县委督查室', '县委党务公开工作领导小组办公室', '县纪委监委'])}对落实情况进行了抽查，"
                      "抽查结果已反馈各责任单位。"),
                    ctx.channels(),
                )
            ],
            stage="result",
        ))
    return drafts


@chain_writer("project_progress")
def chain_project(ctx, dates):
    name, scope = _project(ctx)
    total = ctx.between(80, 2000)
    drafts = []
    ctx.date = dates[0]
    drafts.append(_pre(
        ctx, f"{name}实施方案预公开", f"{name}建设内容、资金和实施方式征求意见。", f"实施{name}",
        ctx.between(5, 10),
        [f"建设内容：{scope}。", f"估算投资：{total}万元。", "建设方式：依法公开招标，确定施工和监理单位。",
         "涉及群众利益的征地、迁改等事项，先公开后实施。"],
    ))
    ctx.date = dates[1]
    drafts.append(Draft(
        title=f"{name}招标结果公示",
        summary=f"{name}经公开招标，确定中标单位。",
        blocks=[
            rich(
                p(f"{name}已经{ctx.meeting}研究同意实施，并在县公共资源交易中心公开招标。评标结果如下："),
                p("本次招标采用公开招标方式，评标委员会由从专家库随机抽取的评标专家组成，开标和评标全程录像。"),
                ul([f"第一中标候选人：云溪县{ctx.pick(['兴云', '宏达', '通顺', '安泰', '锦程'])}建筑工程有限公司，投标报价{int(total * ctx.rng.uniform(0.85, 0.98))}万元；",
                    f"第二中标候选人：{ctx.pick(['玉屏', '鑫源', '华通', '顺成'])}建设集团有限公司；",
                    f"工期：{ctx.between(60, 240)}日历天；",
                    "质量要求：合格。"]),
                p("公示期为3天。投标人或者其他利害关系人对评标结果有异议的，应当在公示期内向招标人提出；"
                  "公示期满无异议的，发出中标通知书。项目施工期间，施工单位须在现场设置公示牌，标明项目名称、"
                  "建设内容、资金和监督电话。"),
                ctx.feedback(days=3),
            )
        ],
        stage="decision",
    ))
    if len(dates) > 2:
        ctx.date = dates[2]
        drafts.append(Draft(
            title=f"{name}竣工验收结果公开",
            summary=f"{name}已竣工验收，结算{int(total * ctx.rng.uniform(0.8, 0.97))}万元。",
            blocks=[
                rich(
                    p(f"{name}于{cn_date(ctx.date - datetime.timedelta(days=ctx.between(5, 20)))}通过竣工验收，"
                      "建设单位、施工单位、监理单位和群众代表参加验收。"),
                    p(f"完成建设内容：{scope}。工程质量等级：合格。结算金额经第三方审计审定后按合同支付，"
                      "质保金按规定预留。"),
                    p("项目建设期间，村务监督委员会和群众义务监督员对材料进场、隐蔽工程和资金支付进行了全程监督，"
                      "项目变更均履行了审批程序。项目建成后移交属地管护，明确了管护责任人。"),
                    ctx.channels(),
                    ctx.feedback(),
                )
            ],
            stage="result",
        ))
    return drafts


@chain_writer("election")
def chain_election(ctx, dates):
    names = ctx.people(ctx.between(6, 9))
    drafts = []
    ctx.date = dates[0]
    drafts.append(_pre(
        ctx, f"{ctx.label}换届选举委员候选人初步人选公示", f"委员候选人初步人选{len(names)}名，征求党员意见。", "进行换届选举",
        ctx.between(5, 7),
        [f"委员候选人初步人选（按姓氏笔画排序）：{'、'.join(sorted(names))}。",
         "候选人初步人选经党员推荐、组织考察和上级党组织预审产生。", "选举实行差额选举，差额比例不少于20%。"],
    ))
    ctx.date = dates[1]
    drafts.append(Draft(
        title=f"关于{ctx.label}换届选举委员候选人预备人选的批复公开",
        summary=f"上级党组织同意{len(names)}名同志为委员候选人预备人选。",
        blocks=[
            rich(
                p(f"经上级党组织研究，同意{ctx.unit.short_name}换届选举委员候选人预备人选{len(names)}名："
                  f"{'、'.join(sorted(names))}。"),
                p("请严格按照党章和有关规定组织召开党员大会进行选举，严肃换届纪律，"
                  "对拉票贿选等违纪行为一经发现严肃处理。"),
                p(f"候选人初步人选公示期间，共收到党员意见{ctx.between(0, 6)}条，经核实均不影响提名。"
                  "候选人预备人选中，女性和35岁以下党员均有适当比例，结构符合要求。"),
                p(f"选举大会定于{cn_date(ctx.days_later(ctx.between(5, 12)))}召开。正式党员有选举权和被选举权，"
                  "预备党员可以列席大会、参加讨论，但没有表决权、选举权和被选举权。"
                  "因外出等原因不能到会的党员，不得委托他人代为投票。"),
                ctx.signature(),
            )
        ],
        stage="decision",
        importance="important",
    ))
    if len(dates) > 2:
        ctx.date = dates[2]
        drafts.append(election(ctx, names))
    return drafts
