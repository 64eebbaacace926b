"""The demo county's opinion ledger (意见台帐): opinions on pre-disclosure items and to units'
意见箱, online and from hearings, meetings, boxes, visits and hotlines, handled step by step.

Every opinion goes in through ``participation.intake`` and every step through
``participation.handling``, with the units' own people as actors, so the events, checks and
four-eyes approvals are the real ones. The steps run now; their dates are then set on the rows
(events, answers, the opinion's dates and deadline) to the days the story says, in order.

Two parts, called by the builder: ``seed_opinion_items`` adds the items opinions are made on
(before the approvals of the seed's items are recorded, so they have theirs), ``seed_opinions``
the rest once the units' people exist. Also the county's 征求意见目录 and its coming holidays.
All people, numbers and words are invented.
"""

import copy
import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models.signals import post_save
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.models import Locale

from disclosure_pages.choices import Importance, Scope, Stage, UnitType
from disclosure_pages.models import CatalogueEntry, DisclosureItemPage
from participation import handling, intake, senders
from participation.choices import Channel, ContactKind, EventKind, Outcome
from participation.models import Answer, CalendarDay, Opinion, OpinionCatalogueEntry, OpinionEvent
from participation.working_days import add_working_days, working_days_between

from .conf import app_settings
from .writers import Ctx

# -- the coming holidays ----------------------------------------------------------------------

# Demo data: the State Council's 2027 schedule was not known when this was written. The dates
# follow the usual pattern (元旦 on its day; 春节 from 除夕, 5 February, with two weekend days
# worked); replace them with the official notice in a real deployment.
HOLIDAYS_2027 = [
    (datetime.date(2027, 1, 1), False, "元旦"),
    (datetime.date(2027, 1, 31), True, "春节调休上班"),
    (datetime.date(2027, 2, 5), False, "春节（除夕）"),
    (datetime.date(2027, 2, 8), False, "春节"),
    (datetime.date(2027, 2, 9), False, "春节"),
    (datetime.date(2027, 2, 10), False, "春节"),
    (datetime.date(2027, 2, 11), False, "春节"),
    (datetime.date(2027, 2, 12), False, "春节"),
    (datetime.date(2027, 2, 20), True, "春节调休上班"),
]

# 征求意见目录: (catalogue shape, entry code, days an item takes opinions after its publication)
OPINION_ENTRIES = [("five_areas", "A03", 30), ("seven_plus_x", "S06", 15)]


# -- the items opinions are made on -----------------------------------------------------------


@dataclass
class ItemSpec:
    key: str
    unit: str  # "town", "road_village", "tender_village": see _places
    title: str
    summary: str
    paragraphs: tuple
    stage: str
    published: int  # days before today
    comment_until: int | None = None  # days after today (negative: before)
    scope: str = Scope.PUBLIC
    importance: str = Importance.IMPORTANT
    entry_words: tuple = ()  # a catalogue entry of the unit whose name has one of these
    previous: str = ""


ITEMS = [
    ItemSpec(
        "market", "town", "关于{town}农贸市场提升改造方案的预公开", "{town}农贸市场提升改造初步方案征求党员群众意见。",
        (
            "{town}农贸市场建于上世纪九十年代，棚顶低矮、排水不畅，早市时人车混行，群众多次反映。"
            "镇党委拟利用省级农贸市场提升改造专项资金对市场进行改造，现将初步方案预公开，征求党员群众意见。",
            "一、改造内容：更换钢结构棚顶，重做排水和地面；划分蔬菜、肉类、水产、熟食四个区域；增设公共厕所和农残检测室。",
            "二、施工安排：分两期施工，每期约75天，施工期间设置临时摊位，不停市。",
            "三、资金来源：省级专项资金和镇级配套资金，不向商户摊派。",
            "意见征集期间可来电、来信或到镇党政办当面反映；征集期满后，意见采纳情况随实施方案一并公开。",
        ),
        Stage.PRE_DISCLOSURE, published=48, comment_until=-34, entry_words=("重点项目", "四议两公开", "重大决策"),
    ),
    ItemSpec(
        "market_decision", "town", "{town}农贸市场提升改造实施方案", "经镇党委会议研究决定的农贸市场提升改造实施方案。",
        (
            "{town}农贸市场提升改造方案预公开期间，镇党委通过网站、恳谈会和入户走访收集意见建议，"
            "经逐条研究，采纳了设置临时摊位、公开抽签分配摊位、保留老街口古树和牌坊等建议，未采纳的已向提出人说明理由。",
            "经镇党委会议研究，现将实施方案公开如下：一期工程于下月开工，施工期间在市场东侧停车场设置临时摊位；"
            "摊位分配采取公开抽签，由镇纪委和商户代表全程监督；改造后的摊位费标准另行公示。",
        ),
        Stage.DECISION, published=20, previous="market", entry_words=("重点项目", "四议两公开", "重大决策"),
    ),
    ItemSpec(
        "party_fee", "town", "关于{year}年度党费使用计划的预公开（党内）", "{town}党委{year}年度党费使用计划征求党员意见。",
        (
            "根据党费收缴、使用和管理的有关规定，{town}党委拟定了{year}年度党费使用计划，现在党内预公开，征求党员意见。",
            "一、走访慰问生活困难党员、老党员；二、党员教育培训；三、基层党组织活动场所维修；四、表彰先进基层党组织和优秀党员。",
            "党员可在党内预公开期间登录本网站或向所在党支部提出意见建议。",
        ),
        Stage.PRE_DISCLOSURE, published=6, comment_until=10, scope=Scope.UNIT_MEMBERS, importance=Importance.GENERAL,
        entry_words=("党费",),
    ),
    ItemSpec(
        "road", "road_village", "{road}关于三组至五组连户道路硬化项目的预公开", "三组至五组连户道路硬化初步方案征求群众意见。",
        (
            "{road}三组至五组现有连户道路为土路，长约1.6公里，雨天泥泞，农产品运不出去。"
            "村党组织拟实施道路硬化，路面宽3.5米，采用C25混凝土，资金由县级衔接资金和群众投工投劳解决。",
            "涉及占地的，按照自愿原则协商解决，不强行推进；施工用工优先安排本村脱贫户和监测户。",
            "意见征集期间，可到村委会当面反映，也可通过本网站提出。",
        ),
        Stage.PRE_DISCLOSURE, published=8, comment_until=7, entry_words=("四议两公开", "重点项目", "为民办实事"),
    ),
    ItemSpec(
        "tender", "tender_village", "{tender}集体临街门面房（4间）租赁招租方案（征求意见稿）", "集体门面房招租底价、期限和竞价规则征求意见。",
        (
            "{tender}集体所有临街门面房4间，原租赁合同年底到期。经村“两委”研究，拟公开招租，现将方案征求意见。",
            "一、招租底价：每间每年6800元；二、租赁期限：3年；三、竞价方式：公开竞价，价高者得；"
            "四、同等条件下本村集体经济组织成员优先。",
        ),
        Stage.PRE_DISCLOSURE, published=4, comment_until=6, importance=Importance.GENERAL,
        entry_words=("发包招租", "三资", "涉及群众切身利益"),
    ),
]


# -- who said what, and what became of it ------------------------------------------------------


@dataclass
class Said:
    """One opinion: where it went, how, when, by whom, and the steps taken on it.

    ``to`` is ``item:<key>`` or ``unit:<place>``; ``day`` days before today it was received;
    ``contact`` a mobile number or e-mail (online residents confirm it with a code), ``member``
    a party member writing signed in. ``steps`` are ``(days before today, verb, *arguments)``
    in order: publish, hide, merge, assign, transfer, start, answer, approve, reject, close,
    contact, rate, send_back (see ``_step``).
    """

    to: str
    channel: str
    day: int
    body: str
    steps: tuple = ()
    subject: str = ""
    name: str = ""
    contact: str = ""
    place: str = ""
    script: str = "zh-hans"
    member: str = ""
    members_only: bool = False
    key: str = ""


OPINIONS = [
    # -- on the market plan, during its comment period (since ended), and the decision that followed
    Said("item:market", Channel.WEB, 46, "方案说分两期施工，希望一期施工时在市场东侧空地设临时摊位，不要让我们这些卖菜的老人跑到城外去摆。"
         "临时摊位的摊位费能不能减免？", subject="施工期间临时摊位安置", name="王桂芬", contact="13908770112",
         steps=((45, "publish"), (44, "assign", "officer"), (43, "start"), (43, "contact", "officer"),
                (38, "answer", Outcome.PARTLY_ADOPTED,
                 "经镇党委研究，一期施工期间在市场东侧停车场设置临时摊位86个，优先安排原有固定摊主；施工期间摊位费减半收取，"
                 "减免部分由镇财政补助。全额减免涉及市场经营合同，暂不采纳。"),
                (37, "approve", "leader"), (35, "rate", "satisfied"), (33, "close"))),
    Said("item:market", Channel.WEB, 45, "市场门口每天早上电动车乱停，建议改造时划出非机动车停车区，再加装几个充电桩。",
         subject="非机动车停放", name="", contact="yunxi.lzq@example.com", key="parking",
         steps=((44, "publish"), (44, "assign", "officer"), (39, "answer", Outcome.ADOPTED,
                "采纳。实施方案已在市场南门外规划非机动车停放区约300平方米，设置充电桩20个，由市场管理办公室统一管理。"),
                (38, "approve", "leader"), (36, "rate", "basic"), (33, "close"))),
    Said("item:market", Channel.WEB, 43, "建议在市场门口规划电动车停放区域，现在早市的时候人根本走不进去。", contact="13908770245",
         steps=((42, "merge", "parking"),)),
    Said("item:market", Channel.HEARING, 42, "商户代表提出：改造后摊位要重新分配，希望公开抽签，不能搞内定，抽签时请商户代表到场监督。",
         subject="摊位分配要公开", name="李国强", place="{town}农贸市场管理办公室（商户恳谈会）",
         steps=((41, "publish"), (41, "assign", "officer"),
                (37, "answer", Outcome.ADOPTED,
                 "采纳。摊位分配方案提交商户代表会议讨论通过后实施，分配采取公开抽签，镇纪委和商户代表全程监督，结果在市场公示栏公示7天。",
                 True),
                (36, "approve", "leader"), (34, "approve", "county_leader"), (30, "close"))),
    Said("item:market", Channel.WEB, 41, "建议顶棚整体加高，再在市场下面建一个地下停车场，一次改到位，免得过几年又改。",
         subject="顶棚和停车场", name="赵德明", contact="13908770378",
         steps=((40, "publish"), (40, "assign", "officer"), (39, "start"),
                (36, "answer", Outcome.NOT_FEASIBLE,
                 "地下停车场需另行立项，投资约2400万元，超出本次改造资金规模；市场地块地下管网复杂，暂不具备建设条件。顶棚加高已纳入方案。"),
                (35, "approve", "leader"), (33, "rate", "unsatisfied"),
                (32, "send_back", "地下停车场做不了可以理解，但顶棚加高多少、什么时候施工都没说清楚。"),
                (31, "contact", "officer"),
                (27, "answer", Outcome.EXPLAINED,
                 "经电话沟通，现补充答复：顶棚由现在的4.5米加高至7.2米，采用钢结构加通风天窗，与一期工程同步施工，预计工期75天。"),
                (26, "approve", "leader2"), (24, "rate", "basic"))),
    Said("item:market", Channel.WEB, 40, "本人旅居馬來西亞多年，今年回鄉定居。建議市場改造時保留老街口那棵百年黃葛樹和舊牌坊，"
         "這是幾代人的記憶，也可以做成市場的特色。", subject="保留老街口古樹和牌坊", name="陳志華", contact="chen.zhihua@example.com",
         script="zh-hant",
         steps=((39, "publish"), (39, "assign", "officer"),
                (35, "answer", Outcome.ADOPTED, "采纳。古树和牌坊原地保留，市场东入口相应调整位置，并在树下设置休息座椅和介绍牌。"),
                (34, "approve", "leader"), (33, "rate", "satisfied"), (31, "close"))),
    Said("item:market", Channel.WEB, 38, "市场改造花这么多钱没有必要，建议取消改造，把钱直接发给老年人作为补贴。", contact="13908770421",
         steps=((37, "publish"), (37, "assign", "officer"),
                (34, "answer", Outcome.NOT_ADOPTED,
                 "不予采纳。改造资金为省级农贸市场提升改造专项资金，专款专用，不能改作他用；老年人补贴按县里的统一政策发放。"),
                (33, "approve", "leader2"), (30, "rate", "unsatisfied"))),
    Said("item:market", Channel.VISIT, 36, "市场周边住户反映：施工时间不要早于早上7点、晚于晚上8点，周边有老人和学生。",
         name="周玉兰", place="{town}市场周边居民走访",
         steps=((35, "publish"), (35, "assign", "officer"),
                (33, "answer", Outcome.ADOPTED, "采纳。施工合同约定每日施工时间为7:30至19:30，中高考期间停止噪声作业。"),
                (32, "approve", "leader"), (28, "close"))),
    # -- on the party fee plan (members only)
    Said("item:party_fee", Channel.WEB, 5, "建议多安排一些走访慰问生活困难老党员的资金，今年物价涨了，慰问标准可以适当提高。",
         subject="提高困难党员慰问标准", member="member1",
         steps=((4, "publish"), (4, "assign", "officer"), (3, "start"))),
    Said("item:party_fee", Channel.WEB, 4, "党员教育培训的经费，建议用于组织农村党员到产业发展好的地方实地学习，不要只在会议室里上课。",
         subject="培训经费用于实地学习", member="member2",
         steps=((3, "publish"), (3, "assign", "officer"),
                (2, "answer", Outcome.ADOPTED, "采纳。计划安排两期农村党员实地学习，每期40人，学习点由各党支部推荐后确定。"))),
    Said("unit:town", Channel.MEETING, 40, "几位老党员提出：党费使用情况每季度在党员活动室公开栏公示一次，明细要列到每一笔。",
         subject="党费使用按季度公示明细", place="{town}党群服务中心会议室（老党员座谈会）", members_only=True,
         steps=((39, "assign", "officer"), (38, "start"),
                (35, "answer", Outcome.ADOPTED, "采纳。自下季度起，党费使用明细每季度在各党支部党员活动室公开栏公示。"),
                (34, "approve", "leader"), (29, "close"))),
    # -- on the village road (open for comment)
    Said("item:road", Channel.WEB, 6, "路硬化以后，建议在王家坡那段急弯加装护栏和反光镜，去年有摩托车在那里摔下去过。",
         subject="急弯加装护栏", contact="13908771103", steps=((5, "publish"),)),
    Said("item:road", Channel.WEB, 6, "我是在臺灣工作的本村人，家中老父仍住五組。路面寬度建議至少四米五，方便救護車和收糧食的貨車進出。"
         "需要出錢出力的話我願意捐一部分。", subject="路面寬度建議", name="楊家豪", contact="yang.jiahao@example.com", script="zh-hant",
         steps=((5, "publish"), (5, "assign", "officer"), (3, "start"))),
    Said("item:road", Channel.VISIT, 5, "道路要占用我家责任田约三分地，希望按政策补偿，或者在组里调换一块。", name="杨树林",
         place="{road}五组村民家中（入户走访）", steps=((4, "publish"), (4, "assign", "officer"))),
    Said("item:road", Channel.WEB, 1, "路修好后希望统一安装太阳能路灯，晚上从地里回来太黑了。", contact="13908771256"),
    Said("item:road", Channel.WEB, 4, "五组张某某（电话13908779876）多年占用村道堆放柴草，修路前必须让他清走。", contact="13908771378",
         steps=((3, "hide", "personal_data"), (3, "assign", "officer"))),
    Said("item:road", Channel.APP, 5, "建议施工期间公布施工负责人和村监委的电话，群众有问题能找到人。", contact="13908771432",
         steps=((4, "publish"), (4, "assign", "officer"),
                (2, "answer", Outcome.ADOPTED, "采纳。施工负责人和村务监督委员会的联系电话已在村委会公开栏和施工现场公示。"),
                (1, "approve", "leader"))),
    Said("item:road", Channel.WEB, 3, "我家孩子明年要转学到县城读书，转学手续应该到哪里办？", contact="13908771590",
         steps=((2, "hide", "off_topic"), (2, "transfer", "town", "属教育事项，转镇党委协调县教育体育局答复。"),
                (2, "assign", "officer"),
                (1, "answer", Outcome.EXPLAINED,
                 "转学手续由转入学校受理：请于春季学期开学前两周持户口簿和原学校学籍信息到转入学校办理，县教育体育局咨询电话0877-6012260。"),
                (1, "approve", "leader"))),
    # -- on the shop tender (open for comment)
    Said("item:tender", Channel.WEB, 3, "门面房招租底价偏低，建议参照镇上同地段门面的市场租金重新评估，不要让集体资产吃亏。",
         subject="招租底价偏低", name="罗开富", contact="13908772011",
         steps=((2, "publish"), (2, "assign", "officer"), (1, "start"))),
    Said("item:tender", Channel.WEB, 2, "建议同等条件下优先租给本村脱贫户和返乡创业的年轻人。", contact="13908772134", steps=((1, "publish"),)),
    Said("item:tender", Channel.WEB, 2, "专业代开发票、办证，价格优惠，量大从优，详情加微信。", contact="13908772257",
         steps=((1, "hide", "spam"),)),
    Said("item:tender", Channel.BOX, 3, "招租那天要当场唱标，村监委全程在场，结果当天贴出来。", place="{tender}村委会门口意见箱",
         steps=((2, "publish"), (2, "assign", "officer"))),
    # -- to the township's 意见箱
    Said("unit:town", Channel.WEB, 30, "镇政府门口的公交站没有遮雨棚，下雨天老人等车很不方便。", subject="公交站加装遮雨棚",
         contact="13908773012",
         steps=((29, "publish"), (29, "assign", "officer"),
                (24, "answer", Outcome.EXPLAINED,
                 "公交站台由县交通运输局统一建设管理。镇党委已将您的意见函告县交通运输局，县交通运输局答复将于明年一季度统一改造。"),
                (23, "approve", "leader"), (21, "rate", "basic"), (19, "close"))),
    Said("unit:county", Channel.HOTLINE, 26, "反映{town}东门片区老旧小区化粪池堵塞外溢，多次反映未解决，气味很大。",
         subject="老旧小区化粪池堵塞", name="刘女士", contact="13908773145", place="县12345政务服务便民热线",
         steps=((26, "publish"), (25, "transfer", "town", "属地管理事项，转{town}党委办理。"),
                (25, "assign", "officer"), (23, "start"))),
    Said("unit:town", Channel.WEB, 12, "你们这些干部一天就知道喝茶看报纸，窗口办事推三阻四，全是废物！", contact="13908773278",
         steps=((11, "hide", "abuse"), (11, "assign", "officer"), (9, "start"))),
    Said("unit:town", Channel.WEB, 9, "听说下个月镇里要调整领导班子，名单里有谁？能不能先公布出来？", contact="13908773301",
         steps=((8, "hide", "secret", "涉及尚未公开的干部人事事项"), (8, "assign", "officer"),
                (6, "answer", Outcome.EXPLAINED, "干部任免按照规定程序进行，任前公示和任职决定均以组织正式公布为准，请关注本网站。"),
                (5, "approve", "leader"))),
    Said("unit:town", Channel.BOX, 30, "建议镇卫生院周末也安排一名医生坐诊，周末看病要跑到县城。", place="{town}政府大门口意见箱",
         steps=((28, "publish"), (28, "assign", "officer"), (26, "start"))),
    Said("unit:town", Channel.WEB, 16, "很多村的党务公开栏几个月不更新，有的还贴着去年的内容，建议统一规范并定期检查。",
         subject="村级公开栏长期不更新", name="孙立新", contact="sun.lixin@example.com",
         steps=((15, "publish"), (15, "assign", "officer"),
                (10, "answer", Outcome.ADOPTED,
                 "采纳。镇党委将制定村级党务公开栏管理办法，明确每月10日前更新，镇纪委每季度抽查并通报。", True),
                (9, "approve", "leader"))),
    Said("unit:town", Channel.WEB, 1, "希望镇上的公开栏把各村集体“三资”的收支情况也贴出来。", contact="13908773434"),
    Said("unit:town", Channel.WEB, 27, "周末集镇夜市烧烤摊太多，油烟和噪音扰民，半夜一两点还在喝酒划拳。", subject="夜市油烟噪音扰民",
         name="何建英", contact="13908773567",
         steps=((26, "publish"), (26, "assign", "officer"), (25, "start"),
                (22, "answer", Outcome.ADOPTED, "已处理。"),
                (21, "reject", "leader", "答复只写了“已处理”，请写明处理措施、时间和责任单位。"),
                (20, "answer", Outcome.ADOPTED,
                 "采纳。镇综合执法队会同派出所对夜市进行整治，烧烤摊统一加装油烟净化设备，经营时间限定在23:00前，每周五、六晚安排巡查。"),
                (19, "approve", "leader"), (16, "rate", "satisfied"), (14, "close"))),
    # -- the second township: a weekly hearing, a veterans' meeting, a visit, a hotline, the app
    Said("unit:town2", Channel.HEARING, 22, "烤烟收购点离村太远，建议在坡头片区设一个临时收购点。", subject="增设烤烟临时收购点",
         name="普正发", contact="13908774012", place="{town2}党群服务中心（每周恳谈会）",
         steps=((21, "publish"), (21, "assign", "officer"),
                (17, "answer", Outcome.NOT_FEASIBLE,
                 "烟叶收购站点由县烟草公司按产量统一设置，坡头片区年收购量不足设点标准，今年暂不具备条件；镇里将协调车辆统一运送。"),
                (16, "approve", "leader"), (14, "rate", "basic"))),
    Said("unit:town2", Channel.MEETING, 35, "建议把村里的“积分超市”办起来，党员带头参与人居环境整治，用积分换生活用品。",
         subject="开办积分超市", place="{town2}党委会议室（老党员座谈会）", name="李永福", contact="13908774145",
         steps=((34, "publish"), (34, "assign", "officer"),
                (29, "answer", Outcome.ADOPTED, "采纳。全镇各村将于年内开办“积分超市”，积分办法经党员大会讨论后公示。"),
                (28, "approve", "leader"), (26, "rate", "satisfied"), (24, "close"))),
    Said("unit:town2", Channel.VISIT, 3, "家里老人腿脚不便，希望村医能定期上门量血压、送药。", name="杨秀英",
         place="{town2}坡头片区脱贫户走访", steps=((2, "publish"), (2, "assign", "officer"))),
    Said("unit:town2", Channel.APP, 4, "請問明年的烤煙種植補貼標準什麼時候公布？去年的補貼到現在還有一部分沒發。",
         subject="烤煙補貼標準", contact="13908774278", script="zh-hant",
         steps=((3, "publish"), (3, "assign", "officer"))),
    # -- the villages' and the department's 意见箱
    Said("unit:member_village", Channel.BOX, 34, "小区三栋楼道灯坏了很久没人修，晚上上下楼很危险。", place="{v1}党群服务中心意见箱",
         steps=((33, "publish"), (33, "assign", "officer"),
                (31, "answer", Outcome.ADOPTED, "已协调物业于本周内更换三栋各楼层楼道灯，并建立每月巡查制度。"),
                (30, "approve", "leader"), (27, "close"))),
    Said("unit:member_village", Channel.VISIT, 28, "广场舞音响声音太大，晚上九点以后还在跳，影响学生写作业。", name="马丽",
         place="{v1}滨河小区住户走访", steps=((27, "publish"), (27, "assign", "officer"))),
    Said("unit:department", Channel.WEB, 14, "建议在党务公开网公布发展党员各阶段的办理时限，入党积极分子心里有数。",
         subject="公布发展党员时限", contact="13908775012",
         steps=((13, "publish"), (13, "assign", "officer"),
                (8, "answer", Outcome.ADOPTED, "采纳。发展党员工作流程和各阶段时限已在本网站“发展党员工作情况”栏目公开。"),
                (7, "approve", "leader"))),
]


# -- building ---------------------------------------------------------------------------------


def _places(tree):
    """The units the demo's opinions go to; smaller counties fall back to fewer units."""
    units = [page for _, page in tree]
    county = next((u for u in units if u.unit_type == UnitType.COUNTY), None)
    townships = [u for u in units if u.unit_type == UnitType.TOWNSHIP]
    if county is None or not townships:
        return None
    town = townships[0]
    villages = [u for u in units if u.path.startswith(town.path) and u.unit_type in (UnitType.VILLAGE, UnitType.COMMUNITY)]
    proper = [u for u in villages if u.unit_type == UnitType.VILLAGE] or villages
    road = proper[0] if proper else town
    return {
        "county": county,
        "town": town,
        "town2": townships[1] if len(townships) > 1 else town,
        "member_village": villages[0] if villages else town,
        "road_village": road,
        "tender_village": next((u for u in proper if u.pk != road.pk), road),
        "department": next((u for u in units if u.unit_type == UnitType.DEPARTMENT), county),
    }


def _words(places):
    today = timezone.localdate()
    return {
        "town": places["town"].display_name, "town2": places["town2"].display_name, "v1": places["member_village"].display_name,
        "road": places["road_village"].display_name, "tender": places["tender_village"].display_name,
        "year": today.year + 1 if today.month >= 10 else today.year,
    }


def seed_opinion_items(builder, tree):
    """The demo's items that take (or took) opinions; returns ``{key: item}``."""
    places = _places(tree)
    if places is None:
        return {}
    words, today, items = _words(places), builder.today, {}
    with transaction.atomic():
        for spec in ITEMS:
            unit = places[spec.unit]
            published = today - datetime.timedelta(days=spec.published)
            entries = list(unit.catalogue_entries())
            entry = next((e for word in spec.entry_words for e in entries if word in e.name), entries[0] if entries else None)
            text = "".join(f"<p>{paragraph.format(**words)}</p>" for paragraph in spec.paragraphs)
            item = DisclosureItemPage(
                title=spec.title.format(**words), slug="", summary=spec.summary.format(**words), body=[("rich_text", text)],
                catalogue_entry=entry, document_date=published - datetime.timedelta(days=1), publish_date=published,
                scope=spec.scope, stage=spec.stage, importance=spec.importance, previous_stage=items.get(spec.previous),
                comment_deadline=today + datetime.timedelta(days=spec.comment_until) if spec.comment_until is not None else None,
                locale=unit.locale, live=True, has_unpublished_changes=False,
                first_published_at=builder._published_at(published), last_published_at=builder._published_at(published),
            )
            unit.add_child(instance=item)
            items[spec.key] = item
    return items


class SeedCodes(senders.BaseSender):
    """The seed plays the residents: it keeps the one-time codes sent to them, to type them in."""

    codes = {}

    def send(self, contact, message):
        if "code" in message.params:  # answer notices have none: nothing to keep
            type(self).codes[contact] = message.params["code"]


SEED_SENDERS = {kind: {"CLASS": f"{__name__}.SeedCodes", "OPTIONS": {}} for kind in ContactKind.values}


def seed_opinions(builder, tree, items):
    """Opinions through intake and handling, dated as the story says; returns how many."""
    places = _places(tree)
    # The seed is not the place to send notifications or codes anywhere.
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend", SUNSHINE_PARTICIPATION_SENDERS=SEED_SENDERS
    ), transaction.atomic():
        seed_opinion_setup()
        if places is None:
            return 0
        story = _Story(builder.today, places, _people(places), items, _words(places))
        for number, said in enumerate(OPINIONS):
            story.tell(number, said)
    builder.log(f"意见建议演示：{len(story.opinions)} 条意见（网站、移动应用和线下渠道），处于各办理环节。")
    return len(story.opinions)


def seed_opinion_setup():
    """The county's 征求意见目录 and the coming holidays (kept if already entered)."""
    for day, working, name in HOLIDAYS_2027:
        CalendarDay.objects.get_or_create(date=day, defaults={"working": working, "name": name})
    default = Locale.get_default()
    for shape, code, days in OPINION_ENTRIES:
        entry = CatalogueEntry.objects.filter(
            code=code, area__catalogue__shape=shape, unit=None, locale=default
        ).order_by("pk").first()
        if entry is not None:
            OpinionCatalogueEntry.objects.get_or_create(entry=entry, defaults={"open_days": days})


def _people(places):
    """Each place's officer and two leaders, the county tier's approver and officer, and two party
    members who write signed in; in development the logins where they work (officer answers,
    approver approves, reviewer reviews, member writes), so they see their own work."""
    units = list({unit.pk: unit for unit in places.values()}.values())
    names = {f"{unit.code.lower()}-{role}" for unit in units for role in ("officer", "leader1", "leader2")}
    names |= {"officer", "approver", "reviewer", "member"} if app_settings.SUNSHINE_DEMO_LOGINS else set()
    by_name = {user.username: user for user in get_user_model().objects.filter(is_active=True, username__in=names)}
    people = {}
    for unit in units:
        stem = unit.code.lower()
        people[unit.pk] = {"officer": by_name.get(f"{stem}-officer"), "leader": by_name.get(f"{stem}-leader1"),
                           "leader2": by_name.get(f"{stem}-leader2")}
    town, county = places["town"], places["county"]
    officer, approver = by_name.get("officer"), by_name.get("approver")
    if officer and approver and officer.groups.filter(pk=town.officers_group_id).exists():
        people[town.pk].update(officer=officer, leader=approver)
    people["county_leader"] = by_name.get("reviewer") or people[county.pk]["leader"]
    people["county_officer"] = people[county.pk]["officer"]
    people["member1"] = by_name.get("member") or _member(places["member_village"])
    people["member2"] = _member(town)
    return people


def _member(unit):
    """A party member of ``unit`` (a name only: no password works for them)."""
    User = get_user_model()
    username = f"{unit.code.lower()}-member1"
    user = User.objects.filter(username=username).first()
    if user is None:
        today = timezone.localdate()
        name = Ctx(random.Random(username), None, today, today).person()
        user = User.objects.create(username=username, first_name=name, email=f"{username}@dangwu.yunxi.example",
                                   password=make_password(None))
        user.groups.add(unit.members_group)
    return user


class _Story:
    """Tells the opinions one by one: each goes in, takes its steps, then gets its dates."""

    def __init__(self, today, places, people, items, words):
        self.today, self.places, self.people, self.items, self.words = today, places, people, items, words
        self.opinions = {}  # key (or position) -> opinion

    def at(self, day, step):
        moment = datetime.datetime.combine(self.today - datetime.timedelta(days=day), datetime.time(8, 40))
        return timezone.make_aware(moment + datetime.timedelta(minutes=37 * step))

    def actor(self, opinion, role):
        if role in ("county_leader", "county_officer"):
            return self.people[role]
        return self.people[opinion.unit_id][role]

    def tell(self, number, said):
        if said.to.startswith("item:") and said.to[5:] not in self.items:
            return
        recorded = []  # the events the steps record, caught as they are saved
        catch = lambda sender, instance, created, **kwargs: created and recorded.append(instance)  # noqa: E731
        post_save.connect(catch, sender=OpinionEvent, weak=False)
        try:
            opinion = self.receive(number, said)
            dates = {"created_at": self.at(said.day, 0), "deadline": opinion.deadline}
            stamps = [(event, dates["created_at"]) for event in recorded]
            answers = {}
            for index, (day, verb, *arguments) in enumerate(said.steps, start=1):
                when = self.at(day, index)
                done = len(recorded)
                opinion = self._step(opinion, verb, arguments, when, dates, answers)
                for event in recorded[done:]:
                    stamps.append((event, when))
                    if event.kind == EventKind.ASSIGNED:  # its note names the deadline set, counted from today
                        event.note = event.note.replace(f"{opinion.deadline:%Y-%m-%d}", f"{dates['deadline']:%Y-%m-%d}")
        finally:
            post_save.disconnect(catch, sender=OpinionEvent)
        self.date(opinion, said, dates, stamps, answers)
        self.opinions[said.key or number] = opinion

    def receive(self, number, said):
        body, subject = said.body.format(**self.words), said.subject.format(**self.words)
        place = self.places[said.to[5:]] if said.to.startswith("unit:") else None
        item = self.items.get(said.to[5:]) if said.to.startswith("item:") else None
        if said.channel in Channel.offline():
            unit = place or item.unit
            opinion, _ = intake.enter_offline(
                self.people[unit.pk]["officer"], unit=unit,
                channel=said.channel, received_on=self.today - datetime.timedelta(days=said.day), body=body, subject=subject,
                place=said.place.format(**self.words), name=said.name, contact_kind=_kind(said.contact), contact=said.contact,
                item=item, members_only=said.members_only,
            )
            return opinion
        if item is not None:
            # Written during the comment period: the item as it was then (its period may have ended since).
            item = copy.copy(item)
            item.comment_deadline = max(item.comment_deadline, self.today)
        address = f"192.0.2.{number + 1}"
        if said.member:
            return intake.submit(body=body, subject=subject, item=item, unit=place, user=self.people[said.member],
                                 address=address, channel=said.channel, script=said.script)[0]
        kind = _kind(said.contact)
        contact = intake.request_code(kind, said.contact, address)
        return intake.submit(
            body=body, subject=subject, item=item, unit=place, name=said.name, contact_kind=kind, contact=contact,
            code=SeedCodes.codes.pop(contact), address=address, channel=said.channel, script=said.script,
        )[0]

    def _step(self, opinion, verb, arguments, when, dates, answers):
        officer = lambda: self.actor(opinion, "officer")  # noqa: E731 (the handling unit may change on the way)
        if verb == "publish":
            return handling.publish(opinion, officer())
        if verb == "hide":
            return handling.hide(opinion, officer(), *arguments)
        if verb == "merge":
            return handling.merge(opinion, officer(), self.opinions[arguments[0]])
        if verb == "assign":
            opinion = handling.assign(opinion, officer(), self.actor(opinion, arguments[0]))
            dates["deadline"] = self._deadline(opinion, when)
            return opinion
        if verb == "transfer":
            if self.places[arguments[0]].pk == opinion.unit_id:
                return opinion  # a county without villages: the item is the township's own
            actor = self.people["county_officer"] if opinion.unit_id == self.places["county"].pk else officer()
            opinion = handling.transfer(opinion, actor, self.places[arguments[0]], arguments[1].format(**self.words))
            dates["deadline"] = None
            return opinion
        if verb == "start":
            return handling.start(opinion, officer())
        if verb == "contact":
            handling.contact_for(opinion, self.actor(opinion, arguments[0]))
            return opinion
        if verb == "answer":
            outcome, body, *important = arguments
            answer = handling.submit_answer(opinion, officer(), body, outcome, important=important[0] if important else None)
            answers[answer.pk] = {"submitted_at": when}
            return Opinion.objects.get(pk=opinion.pk)
        if verb in ("approve", "reject"):
            answer = opinion.pending_answer
            approver = self.actor(opinion, arguments[0])
            if verb == "approve":
                answer = handling.approve_answer(answer, approver)
            else:
                answer = handling.reject_answer(answer, approver, arguments[1])
            opinion = Opinion.objects.get(pk=opinion.pk)
            if answer.decided_at:
                answers[answer.pk]["decided_at"] = when
                if opinion.answered_at:
                    dates["answered_at"] = when
                    dates["closed_at"] = when if opinion.closed_at else None
            return opinion
        if verb == "close":
            opinion = handling.close(opinion, officer())
            dates["closed_at"] = when
            return opinion
        if verb == "rate":
            return handling.rate(opinion, arguments[0])
        if verb == "send_back":
            opinion = handling.send_back(opinion, arguments[0])
            dates["closed_at"] = None
            dates["deadline"] = self._deadline(opinion, when)
            return opinion
        raise ValueError(f"unknown step {verb}")

    def _deadline(self, opinion, when):
        """The deadline as set on the step's day: as many working days after it as after today now."""
        return add_working_days(when.date(), working_days_between(self.today, opinion.deadline))

    def date(self, opinion, said, dates, stamps, answers):
        """Set the story's dates on the rows written now."""
        for event, when in stamps:
            event.at = when
        OpinionEvent.objects.bulk_update([event for event, _ in stamps], ["at", "note"])
        for pk, fields in answers.items():
            Answer.objects.filter(pk=pk).update(**fields)
        created_at = dates["created_at"]
        # The number's year is the year it was received (a merge's note, made later, reads it from the row).
        number = f"{timezone.localtime(created_at):%Y}{opinion.pk:07d}"
        Opinion.objects.filter(pk=opinion.pk).update(
            created_at=created_at, received_on=self.today - datetime.timedelta(days=said.day), number=number,
            deadline=dates["deadline"], answered_at=dates.get("answered_at"), closed_at=dates.get("closed_at"),
        )
        opinion.number, opinion.created_at = number, created_at


def _kind(contact):
    if not contact:
        return ""
    return ContactKind.EMAIL if "@" in contact else ContactKind.MOBILE
