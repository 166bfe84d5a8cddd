"""Coaching from evidence: what a team (or rep) does well, where it falls behind, what to do.

:func:`coach` reads an :class:`~devvolume.report._evidence.Evidence` (the group against its
peers, every comparison judged with the spread between peers allowed for) and says:

- **what the team does well**: measures where it is clearly (material and beyond the usual
  spread) better;
- **where it falls behind**: only gaps that are material *and* beyond the usual spread. A team
  that is not behind anywhere gets no bottleneck and no prescription, and is told so;
- **what the numbers cannot say**: steps the log never records (a 成交 row implies 意向 and 签约,
  so their rates are 100 % by construction), and stretches of periods with no new customer,
  with what the team did instead (activities on customers it already had) and whether the whole
  company ran out of new names too (a saturated customer base);
- **what to do**: each action follows from a finding and quotes its numbers, mapped to the
  syllabus's improvement strategies (四、客户开发量的提升策略): 精准定位 (precise targeting), 优化流程
  (a leaner sales process), 培训 (training) and 数字营销 (digital marketing).

The same function serves the team report, the rep report (a rep among all the company's reps)
and the meeting pack. Every verdict word comes from the judged comparison
(:attr:`~devvolume.core._peers.PeerTest.code`), in the table, the sentences and the advice.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from devvolume.core import development_volume
from devvolume.core._peers import LIMITS, PeerTest
from devvolume.report._data import Company
from devvolume.report._deals import DealFigures, context_note, development_advice, follow_up_advice
from devvolume.report._evidence import Evidence, Stretch, gather, unit_values
from devvolume.report._figures import PeriodFigures, pick
from devvolume.report._money import Money
from devvolume.report._pipeline import CLOSE_AS_LOST_DAYS
from devvolume.report._tables import STEP_NAMES, period_target

_T: dict[str, dict[str, Any]] = {
    "zh": {
        "team": "本团队", "company": "全公司", "team_peers": "个团队", "rep_peers": "人",
        "step:qualified": "首次接触 → 意向", "step:signed": "意向 → 签约", "step:won": "签约 → 成交",
        "win_rate": "赢单率（成交 ÷ 成交与流失）", "win_rate_customers": "客户赢单率（成交 ÷ 成交与流失，按客户）",
        "contacts": "每人每周新接触客户（近 {days} 天，按在岗天数）",
        "activities": "每人每周活动次数（近 {days} 天，按在岗天数）", "cycle_days": "首次接触到成交的天数（中位数）",
        "stalled_share": "在谈客户中停滞的比例", "channel_mix": "新客户来自“{channel}”的比例",
        "attainment": "本期目标达成率（成交 ÷ 目标）",
        "a_attainment": ("优化流程", "本期目标达成率 {g}，{company} {r}：周会上逐人对照目标和在谈客户，先跟进最接近成"
                                 "交的客户。"),
        "targets_missed": "全公司本期目标达成率只有 {a}（成交 {won} 个，目标 {target} 个）：目标普遍没有达成，不是"
                          "{who}独有的问题，值得讨论目标本身是否合理。",
        "measure": "指标", "rank": "在同行中", "detectable": "看得出的差距", "about": "约 {v:.0%}",
        "p": "p 值（已计入同行之间的差异）", "verdict": "结论",
        "behind": "{measure}：{who} {g}，{company} {r}（{rank}）。{verdict}：超出了同行之间的正常差异（p {p}）。",
        "ahead": "{measure}：{who} {g}，{company} {r}（{rank}）。{verdict}（p {p}）。",
        "none_behind": "与{peers}相比，开发结果（新客户、各环节转化、赢单、周期、停滞）"
                       "没有哪一项差距既明显又超出了同行之间的正常差异，"
                       "所以这里不指定瓶颈、不开药方。",
        "efficient": "{who_sp}的活动次数明显少于{company}（每人每周 {g}"
                     "，{company} {r}），但新接触客户并不少：活动少不是问题，"
                     "不必为了活动数而加活动。",
        "none_ahead": "没有哪一项明显好于{peers}。",
        "largest": "差距最大的一项是{measure}：{who} {g}，{company}"
                   " {r}（{rank}），结论是“{verdict}”，下一期再看是否持续。",
        "peers_team": "其他团队", "peers_rep": "其他销售员", "no_data": "无数据",
        "implied": "工作日志里没有“{levels}”的记录：这些阶段只能由后面的成交行推出，比例必然是 100%，所以不比较相"
                   "关的环节。",
        "empty_contacted": "{who_sp}已连续 {n}（自 {since} 起）没有新接触的客户{last}。",
        "empty_won": "{who_sp}已连续 {n}（自 {since} 起）没有新成交的客户{last}。",
        "never_contacted": "{who_sp}在数据里（自 {since} 数据开始起）一直没有新接触的客户。",
        "never_won": "{who_sp}在数据里（自 {since} 数据开始起）一直没有新成交的客户。",
        "for_count": "连续 {n}", "for_all": "数据里（自 {since} 起）一直",
        "last_new": "，上一个新客户在 {when}",
        "still_worked": "这段时间里仍有 {acts} 条活动记录，{latest}跟进了 {k} 个已有客户：精力都放在已有客户身上。",
        "others_found": "同一时间，全公司其他人找到了 {m} 个新客户。",
        "not_worked": "这段时间里没有任何活动记录：请先确认工作日志是否还在填写。",
        "saturated": "全公司在这段时间也没有新的首次接触：日志里的 {total} 个客户早已全部接触过，客户基础已经饱和"
                     "，新的开发量只能来自新的客户名单。",
        "count_W": "{n} 周", "count_M": "{n} 个月", "count_Q": "{n} 个季度", "count_Y": "{n} 年",
        "latest_W": "最近一周", "latest_M": "最近一个月", "latest_Q": "最近一个季度", "latest_Y": "最近一年",
        "a_stretch": ("精准定位", "{n}没有新接触的客户，而全公司其他人这段时间找到了 {m} 个：每周留出固定时段"
                              "开发新客户{hint}，周会上检查新接触的数量。"),
        "a_saturated": ("精准定位", "现有客户名单已经用完。和团队一起列一份新的目标客户名单（新行业、新区域或新渠"
                                "道），先给每人每周定一个新接触的数量，周会上检查。"),
        "a_contacts_effort": ("优化流程", "新接触少，活动也少（每人每周 {ag} 次，{company}"
                                      " {ar} 次）：每人每周固定两个半"
                                      "天只做新客户开发，周会逐人检查下周的拜访名单。"),
        "a_contacts_focus": ("精准定位", "活动不少（每人每周 {ag} 次，{company}"
                                     " {ar} 次），新接触却少：时间多花在已接触的客户"
                                     "身上。每周留出固定时段开发新客户{hint}，先列出 20 家最像已成交客户的公司。"),
        "channel_hint": "，优先“{channel}”渠道（全公司这个渠道的客户成交率 {x}，其他渠道 {y}）",
        "a_qualified": ("精准定位", "接触了却很少转为意向（{g}，{company} {r}）：名单不够准。对照已成交客户的行业和规"
                                "模重写目标客户画像，首次接触前先发一份案例或产品短视频。"),
        "a_signed": ("培训", "有意向却签不下来（{g}，{company} {r}）：安排一次需求挖掘和方案演示的专项培训，每周例会"
                           "做一轮角色演练；客户表示意向后 48 小时内给出方案和报价。"),
        "a_won": ("优化流程", "签约后成交的少（{g}，{company} {r}）：理清从签约到交付、回款的每一步，签约后 7 天内必"
                          "须回访。{money}"),
        "a_win_rate": ("培训", "赢单率偏低（{g}，{company} {r}）：逐"
                             "一复盘最近流失的客户，练习价格和付款条件的异议处理。"),
        "a_cycle": ("优化流程", "成交周期长（中位数 {g}，{company} {r}）：给每个阶段定一个最长停留天数，超过的客户拿"
                            "到周会上讨论下一步。"),
        "a_stalled": ("优化流程", "在谈客户中停滞的多（{g}，{company} {r}）：{calls}"),
        "a_channel": ("数字营销", "“{channel}”来的客户成交率 {x}（其他渠道 {y}），但{who}只有 {g} 的新客户来自这个渠道"
                              "（{company} {r}）：把更多开发时间和线上投放放到这个渠道。"),
        "a_follow_up": ("优化流程", "日常跟进：{n} 个在谈客户已 {days} 天以上无人联系。{calls}"),
        "calls_warm": "本周先联系还热的（阶段靠后、最近联系过的在前）：{names}。",
        "calls_close": "另有 {m} 个已 {close} 天以上无人联系，确认后按流失关闭，不必排在电话名单前面。",
        "calls_all_close": "它们都已 {close} 天以上无人联系：逐个确认，按流失关闭。",
        "a_keep": ("保持", "没有证据表明哪个环节比{peers}差，不必为此改变做法；把例会时间用在停滞客户和下周计划上。"),
        "money_open": "目前还有 {n} 个签约客户未成交，记录的金额合计 {value:,.0f} 元。",
        "days": "{v:.0f} 天", "per_week": "{v:.1f}",
    },
    "en": {
        "team": "the team", "company": "the company", "team_peers": "teams", "rep_peers": "reps",
        "step:qualified": "contacted → qualified", "step:signed": "qualified → signed",
        "step:won": "signed → won", "win_rate": "win rate (won ÷ won and lost)",
        "win_rate_customers": "customer win rate (won ÷ won and lost, by customer)",
        "contacts": "new customers contacted per rep per week (last {days} days, days at work)",
        "activities": "activities per rep per week (last {days} days, days at work)",
        "cycle_days": "days from first contact to won (median)",
        "stalled_share": "share of open customers stalled",
        "channel_mix": "share of new customers from \u201c{channel}\u201d",
        "attainment": "target attainment this period (won ÷ target)",
        "a_attainment": ("Streamlined process", "Target attainment {g} this period, {company} {r}: go "
                         "through each rep's target and open customers in the meeting, and follow up "
                         "the customers closest to winning first."),
        "targets_missed": "The whole company reached only {a} of this period's targets ({won} won, "
                          "target {target}): targets are missed across the board, not by {who} alone; "
                          "worth discussing whether they are realistic.",
        "measure": "Measure", "rank": "Among peers", "detectable": "Detectable gap", "about": "about {v:.0%}",
        "p": "p-value (peer spread included)",
        "verdict": "Verdict",
        "behind": "{measure}: {who} {g}, {company} {r} ({rank}). {verdict_cap}: beyond the usual spread "
                  "between peers (p {p}).",
        "ahead": "{measure}: {who} {g}, {company} {r} ({rank}). {verdict_cap} (p {p}).",
        "peers_team": "the other teams", "peers_rep": "the other reps", "no_data": "no data",
        "efficient": "{who_cap} logs clearly fewer activities than {company} ({g} per rep per week, {company} {r}) "
                     "yet contacts no fewer new customers: fewer activities are not a problem here; "
                     "no need to add activity for its own sake.",
        "none_behind": "Against {peers}, no result (new customers, step rates, wins, cycle, stalled "
                       "customers) shows a gap both large and beyond the usual spread between peers, "
                       "so no bottleneck is named and nothing is prescribed.",
        "none_ahead": "Nothing is clearly better than {peers}.",
        "largest": "The largest gap is {measure} ({who} {g}, {company} {r}, {rank}); the verdict is "
                   "\u201c{verdict}\u201d: look again next period.",
        "implied": "The work log has no \u201c{levels}\u201d rows: those stages are only implied by "
                   "later won rows (100 % by construction), so those steps are not compared.",
        "empty_contacted": "{who_cap} has contacted no new customer for {n} in a row (since "
                           "{since}){last}.",
        "empty_won": "{who_cap} has won no new customer for {n} in a row (since {since}){last}.",
        "never_contacted": "{who_cap} has contacted no new customer since the data begin ({since}).",
        "never_won": "{who_cap} has won no new customer since the data begin ({since}).",
        "for_count": "for {n}", "for_all": "since the data begin ({since})",
        "last_new": "; the last new one was in {when}",
        "still_worked": " Meanwhile there were {acts} activities, and {k} existing customers were "
                        "worked in the {latest}: the effort goes to customers already known.",
        "others_found": " In the same time the rest of the company found {m} new customers.",
        "not_worked": " No activity was logged in that time: check that the work log is still kept.",
        "saturated": " The whole company made no new first contact in that time either: all {total} "
                     "customers in the log were contacted long ago. The customer base is saturated; "
                     "new volume can only come from a new list of prospects.",
        "count_W": "{n} weeks", "count_M": "{n} months", "count_Q": "{n} quarters", "count_Y": "{n} years",
        "latest_W": "latest week", "latest_M": "latest month", "latest_Q": "latest quarter",
        "latest_Y": "latest year",
        "a_stretch": ("Precise targeting", "No new contacts {n}, while the rest of the company "
                      "found {m} in that time: set fixed hours each week for new customers{hint}, "
                      "and count the new contacts in every weekly meeting."),
        "a_saturated": ("Precise targeting", "The customer list is used up. Draw a new list of "
                        "prospects with the team (new industries, regions or channels) and set each "
                        "rep a weekly number of first contacts, checked in the weekly meeting."),
        "a_contacts_effort": ("Streamlined process", "Few new contacts and few activities ({ag} per "
                              "rep per week, {company} {ar}): block two half-days a week per rep for new "
                              "customers only, and check each rep's visit list in the meeting."),
        "a_contacts_focus": ("Precise targeting", "Plenty of activity ({ag} per rep per week, {company} {ar}) "
                             "but few new contacts: the time goes to customers already contacted. "
                             "Set fixed hours for new customers{hint}, starting with 20 companies "
                             "that look like customers already won."),
        "channel_hint": ", first from \u201c{channel}\u201d (company-wide {x} of its customers are "
                        "won, {y} from other channels)",
        "a_qualified": ("Precise targeting", "Contacts rarely become interested ({g}, {company} {r}): "
                        "the list is off. Redraw the ideal-customer profile from the customers won, "
                        "and send a case study before the first call."),
        "a_signed": ("Training", "Interest rarely becomes a contract ({g}, {company} {r}): run a "
                     "training on needs discovery and demos, role-play in every weekly meeting, and "
                     "send the proposal within 48 hours of a customer showing interest."),
        "a_won": ("Streamlined process", "Signed customers rarely close ({g}, {company} {r}): map every "
                  "step from contract to delivery and payment, and call back within 7 days of "
                  "signing.{money}"),
        "a_win_rate": ("Training", "Low win rate ({g}, {company} {r}): review each recently lost "
                       "customer and practise handling objections on price and payment terms."),
        "a_cycle": ("Streamlined process", "Long sales cycle (median {g}, {company} {r}): set a "
                    "longest stay for every stage and discuss every customer past it."),
        "a_stalled": ("Streamlined process", "Many open customers stalled ({g}, {company} {r}): {calls}"),
        "a_channel": ("Digital marketing", "Customers from \u201c{channel}\u201d are won more often "
                      "({x}, other channels {y}), yet only {g} of {who}'s new customers come from it "
                      "({company} {r}): move prospecting time and online spend there."),
        "a_follow_up": ("Streamlined process", "Routine follow-up: {n} open customers have had no "
                        "contact for {days}+ days. {calls}"),
        "calls_warm": "Call the warm ones first this week (latest stage, most recently active): {names}.",
        "calls_close": "{m} more have had no contact for {close}+ days: confirm and close them as lost "
                       "rather than putting them at the top of the calls.",
        "calls_all_close": "All have had no contact for {close}+ days: confirm each and close it as lost.",
        "a_keep": ("Keep going", "Nothing shows a step weaker than {peers}', so there is no reason to "
                   "change how it is done; spend the meeting on stalled customers and next week's plan."),
        "money_open": " {n} signed customers are not won yet, worth {value:,.0f} as recorded.",
        "days": "{v:.0f} days", "per_week": "{v:.1f}",
    },
}  # fmt: skip

_ADVICE = {"attainment": "a_attainment", "step:qualified": "a_qualified", "step:signed": "a_signed",
           "step:won": "a_won", "win_rate": "a_win_rate", "cycle_days": "a_cycle", "stalled_share": "a_stalled",
           "channel_mix": "a_channel"}  # fmt: skip
#: Below this company-wide attainment, targets are said to be missed across the board.
TARGETS_MISSED = 0.8
#: A gap below this relative size is not worth naming as "the largest", even as a maybe.
LARGEST_WORTH_SAYING = 0.1
#: Stalled customers named in an action.
NAMED_STALLED = 3


@dataclass(frozen=True)
class Coaching:
    """What the coaching section says: strengths, weaknesses (tested), notes and actions.

    Every verdict word in it (the table's 结论, the sentences, the advice) comes from the
    evidence's judged comparisons, so they cannot disagree.
    """

    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]
    notes: tuple[str, ...]
    advice: tuple[tuple[str, str], ...]
    #: The first weakness, in a few words (for the index); ``""`` when there is none.
    bottleneck: str
    table: pd.DataFrame

    def html(self, *, lang: str = "zh") -> str:
        """Return the section as HTML: what goes well, what falls behind, notes and actions."""
        esc = html.escape
        heads = ({"good": "做得好的地方", "bad": "需要改进的地方（差距明显，且超出同行之间的正常差异）",
                  "notes": "数字背后的情况", "todo": "建议"} if lang == "zh" else
                 {"good": "What goes well", "bad": "Where it falls behind (a clear gap, beyond the "
                  "usual spread between peers)", "notes": "Behind the numbers", "todo": "What to do"})  # fmt: skip
        colon = "：" if lang == "zh" else ": "
        parts = []
        for key, items in (("notes", self.notes), ("good", self.strengths), ("bad", self.weaknesses)):
            if items:
                parts.append(f"<p><b>{esc(heads[key])}</b></p><ul>"
                             + "".join(f"<li>{esc(item)}</li>" for item in items) + "</ul>")  # fmt: skip
        parts.append(f"<p><b>{esc(heads['todo'])}</b></p><ol>" + "".join(
            f"<li><b>{esc(strategy)}</b>{colon}{esc(action)}</li>" for strategy, action in self.advice)
            + "</ol>")  # fmt: skip
        return "\n".join(parts)


def advise(company: Company, figures: PeriodFigures, *, money: Money | None, stalled_days: int,
           lang: str = "zh", who_label: str = "", deals: DealFigures | None = None
           ) -> tuple[Evidence, Coaching]:  # fmt: skip
    """Coach the team or rep of ``figures``: gather the evidence, and :func:`coach` from it.

    Targets missed across the whole company (this period so far) are said to be so; ``deals``
    (where the log has deals: :func:`~devvolume.report.deal_figures`) gives coaching the context
    of the won deals. Returns the evidence (the report's caption quotes its spans,
    ``evidence.csv`` its comparisons) and the coaching.
    """
    ((who, name),) = figures.where.items()
    evidence = gather(company, who=who, name=name, period=figures.period,  # type: ignore[arg-type]
                      stalled_days=stalled_days, volumes=figures.volumes)  # fmt: skip
    company_target = period_target(company.targets, day=company.day, period=figures.period)
    company_won = pick(company.result(development_volume, level="won", period=figures.period),
                       period=figures.comparison.period.first)  # fmt: skip
    attainment = None if not (figures.target and company_target) else (
        figures.now["won"], figures.target, int(company_won["volume"].sum()), company_target)
    coaching = coach(evidence, lang=lang, period=figures.period, money=money, stalled_days=stalled_days,
                     attainment=attainment, who_label=who_label, deals=deals)  # fmt: skip
    return evidence, coaching


def coach(evidence: Evidence, *, lang: str = "zh", period: str = "M", money: Money | None = None,
          stalled_days: int = 14, who_label: str = "",
          attainment: tuple[int, int, int, int] | None = None,
          deals: DealFigures | None = None) -> Coaching:  # fmt: skip
    """Turn the evidence about one team or rep into coaching (see the module docstring).

    ``who_label`` names the group in sentences (default "本团队" / "the team"; a rep's name).
    ``attainment`` is ``(won, target, company_won, company_target)`` for this period so far,
    when there are targets: targets missed across the whole company are said to be so.
    ``deals`` (a log with deals) says how the won deals split between first and repeat deals; a
    business of mostly repeat deals (:data:`~devvolume.report._deals.MOSTLY_REPEAT`) gets advice
    on new customers that reads that context, and stalled deals a follow-up.
    """
    t = _T[lang]
    who = who_label or t["team"]
    spaced = who + " " if lang == "zh" and who[-1:].isascii() else who
    words = {"who": who, "company": t["company"], "peers": t[f"peers_{evidence.who}"],
             "who_cap": who[:1].upper() + who[1:], "who_sp": spaced}  # fmt: skip
    tests = evidence.tests
    strengths: list[str] = []
    weaknesses: list[str] = []
    advice: list[tuple[str, str]] = []
    notes = _notes(evidence, t, words, period)
    repeat = deals is not None and deals.history.mostly_repeat
    if deals is not None:
        notes = (*context_note(deals, lang=lang, who=who_label), *notes)
    if attainment is not None and _missed_everywhere(*attainment):
        notes = (*notes, t["targets_missed"].format(a=_pct(attainment[2] / attainment[3]),
                                                    won=attainment[2], target=attainment[3], **words))
    for stretch in evidence.empty:
        if stretch.level != "contacted":
            continue
        n = _stretch_span(stretch, t, period)
        if repeat:
            assert deals is not None
            kind = "saturated" if stretch.company_new == 0 else "stretch"
            advice.append(development_advice(deals, kind, lang=lang, hint=_channel_hint(evidence, t),
                                             n=n, **words))  # fmt: skip
        elif stretch.company_new == 0:
            advice.append(t["a_saturated"])
        else:
            strategy, action = t["a_stretch"]
            advice.append((strategy, action.format(n=n, m=stretch.company_new,
                                                   hint=_channel_hint(evidence, t))))  # fmt: skip
    for measure, test in tests.items():
        shown = _shown(test, t, evidence)
        label = _measure(measure, t, evidence)
        if test.code == "stronger":
            strengths.append(t["ahead"].format(measure=label, **shown, **words))
        elif test.code == "weaker" and measure != "activities":
            weaknesses.append(t["behind"].format(measure=label, **shown, **words))
            advice.append(_action(measure, test, evidence, t, words, money, stalled_days,
                                  deals if repeat else None))
    activities, contacts = tests.get("activities"), tests.get("contacts")
    compared = contacts is not None and contacts.code in ("similar", "small", "stronger")
    if activities is not None and activities.code == "weaker" and compared:
        notes = (*notes, t["efficient"].format(**_shown(activities, t, evidence), **words))
    if not weaknesses:
        largest = _largest(tests)
        extra = ([t["largest"].format(measure=_measure(largest.measure, t, evidence),
                                      **_shown(largest, t, evidence), **words)]
                 if largest is not None else [])  # fmt: skip
        notes = (*notes, t["none_behind"].format(**words), *extra)
        if not advice:
            advice.append((t["a_keep"][0], t["a_keep"][1].format(**words)))
    if not strengths:
        notes = (*notes, t["none_ahead"].format(**words))
    if deals is not None and (follow_up := follow_up_advice(deals, lang=lang)) is not None:
        advice.append(follow_up)
    stalled = evidence.stalled_list
    if len(stalled) and "stalled_share" not in _weak(tests):
        strategy, action = t["a_follow_up"]
        advice.append((strategy, action.format(n=len(stalled), days=stalled_days,
                                               calls=_calls(stalled, t, lang))))  # fmt: skip
    first = next((m for m in _weak(tests) if m != "activities"), "")
    bottleneck = _measure(first, t, evidence).split("（")[0].split(" (")[0] if first else ""
    return Coaching(tuple(strengths), tuple(weaknesses), tuple(notes), tuple(advice), bottleneck,
                    evidence_table(evidence, lang=lang, who_label=who))  # fmt: skip


def evidence_table(evidence: Evidence, *, lang: str = "zh", who_label: str = "") -> pd.DataFrame:
    """Every measure compared: the group, the company, its rank among peers, p and the verdict."""
    t = _T[lang]
    who = who_label or t["team"]
    rows = []
    for measure, test in evidence.tests.items():
        shown = _shown(test, t, evidence)
        rows.append({t["measure"]: _measure(measure, t, evidence), who: shown["g"],
                     t["company"]: shown["r"], t["rank"]: shown["rank"] or "—",
                     t["p"]: shown["p"].lstrip("= ") or "—", t["verdict"]: test.words(lang),
                     t["detectable"]: (t["about"].format(v=test.detectable)
                                        if math.isfinite(test.detectable) else "—")})  # fmt: skip
    return pd.DataFrame(rows).set_index(t["measure"])


def _missed_everywhere(won: int, target: int, company_won: int, company_target: int) -> bool:
    """Whether the company, and the rest of it without the group, both missed their targets."""
    rest_target = company_target - target
    if not company_target or not rest_target:
        return False
    return (company_won / company_target < TARGETS_MISSED
            and (company_won - won) / rest_target < TARGETS_MISSED)  # fmt: skip


def _weak(tests: dict[str, PeerTest]) -> list[str]:
    return [measure for measure, test in tests.items() if test.code == "weaker"]


def _largest(tests: dict[str, PeerTest]) -> PeerTest | None:
    gaps = [(abs(test.value / test.target - 1), measure) for measure, test in tests.items()
            if test.code in ("similar", "small") and test.target and math.isfinite(test.target)
            and math.isfinite(test.value) and test.value != test.target]  # fmt: skip
    gaps = [gap for gap in gaps if gap[0] >= LARGEST_WORTH_SAYING]
    return tests[max(gaps)[1]] if gaps else None


def _measure(measure: str, t: dict[str, Any], evidence: Evidence) -> str:
    if not measure:
        return ""
    channel = evidence.channel.channel if evidence.channel else ""
    key = "win_rate_customers" if measure == "win_rate" and evidence.deals else measure
    return str(t[key]).format(days=evidence.recent.days, channel=channel)


def _share(x: float, n: float, lang: str) -> str:
    if not n:
        return _T[lang]["no_data"]
    return f"{x / n:.1%}（{int(x)}/{int(n)}）" if lang == "zh" else f"{x / n:.1%} ({int(x)}/{int(n)})"


def _shown(test: PeerTest, t: dict[str, Any], evidence: Evidence) -> dict[str, str]:
    """Give the words and numbers of one comparison, as every sentence and the table show them."""
    lang = "zh" if t is _T["zh"] else "en"
    missing = t["no_data"]

    def number(value: float, key: str, factor: float = 1.0) -> str:
        return missing if not math.isfinite(value) else str(t[key]).format(v=value * factor)

    if test.kind == "days":
        g, r = number(test.value, "days"), number(test.target, "days")
    elif test.kind == "rate" and test.measure != "attainment":
        g, r = number(test.value, "per_week", 7), number(test.target, "per_week", 7)
    elif test.measure == "attainment":
        g = _share(test.x, test.n, lang) if test.n else missing
        r = missing if not math.isfinite(test.target) else f"{test.target:.1%}"
    else:
        g = _share(test.x, test.n, lang)
        r = missing if not math.isfinite(test.target) else f"{test.target:.1%}"
    p = "" if not math.isfinite(test.p_value) else (
        "< 0.001" if test.p_value < 0.001 else f"= {test.p_value:.3f}")  # fmt: skip
    noun = t[f"{evidence.who}_peers"]
    verdict = test.words(lang)
    return {"g": g, "r": r, "p": p, "rank": test.rank_text(lang, noun), "verdict": verdict,
            "verdict_cap": verdict[:1].upper() + verdict[1:]}  # fmt: skip


def _action(measure: str, test: PeerTest, evidence: Evidence, t: dict[str, Any], words: dict[str, str],
            money: Money | None, stalled_days: int, repeat: DealFigures | None = None
            ) -> tuple[str, str]:  # fmt: skip
    """Advise on one weakness; ``repeat``: the won deals of a mostly-repeat business, read first."""
    shown = _shown(test, t, evidence)
    if measure == "contacts":
        activities = evidence.tests.get("activities")
        acts = _shown(activities, t, evidence) if activities is not None else {"g": "—", "r": "—"}
        hint = _channel_hint(evidence, t)
        busy = activities is not None and activities.code != "weaker"
        kind = "contacts_focus" if busy else "contacts_effort"
        if repeat is not None:
            lang = "zh" if t is _T["zh"] else "en"
            return development_advice(repeat, kind, lang=lang, ag=acts["g"], ar=acts["r"], hint=hint,
                                      **words)  # fmt: skip
        strategy, action = t[f"a_{kind}"]
        return strategy, action.format(ag=acts["g"], ar=acts["r"], hint=hint, **words)
    strategy, action = t[_ADVICE[measure]]
    extra: dict[str, Any] = {}
    if measure == "step:won":
        extra["money"] = (t["money_open"].format(n=money.open_signed, value=money.open_value)
                          if money is not None and money.open_valued else "")  # fmt: skip
    if measure == "stalled_share":
        extra["calls"] = _calls(evidence.stalled_list, t, lang)
    if measure == "channel_mix" and evidence.channel is not None:
        extra.update(channel=evidence.channel.channel, x=_pct(evidence.channel.share),
                     y=_pct(evidence.channel.others_share))  # fmt: skip
    return strategy, action.format(**shown, **words, **extra)


def _calls(stalled: pd.DataFrame, t: dict[str, Any], lang: str) -> str:
    """Say whom to call first (the call list's warm ones) and how many to close as lost instead.

    ``stalled`` is in the call list's order (:func:`devvolume.stalled_customers` with
    ``close_after_days``): latest stage first, then the most recently active.
    """
    close = stalled["suggest_close"].astype(bool)
    warm = stalled.loc[~close, "customer"].head(NAMED_STALLED).astype(str)
    dead = int(close.sum())
    if warm.empty:
        return str(t["calls_all_close"]).format(close=CLOSE_AS_LOST_DAYS)
    said = str(t["calls_warm"]).format(names=("、" if lang == "zh" else ", ").join(warm))
    if dead:
        said += ("" if lang == "zh" else " ") + str(t["calls_close"]).format(m=dead, close=CLOSE_AS_LOST_DAYS)
    return said


def _channel_hint(evidence: Evidence, t: dict[str, Any]) -> str:
    channel = evidence.channel
    if channel is None or not channel.better:
        return ""
    return str(t["channel_hint"]).format(channel=channel.channel, x=_pct(channel.share),
                                         y=_pct(channel.others_share))  # fmt: skip


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _notes(evidence: Evidence, t: dict[str, Any], words: dict[str, str], period: str
           ) -> tuple[str, ...]:  # fmt: skip
    notes = []
    missing = [level for level in ("qualified", "signed") if level not in evidence.recorded]
    if missing:
        names = [STEP_NAMES["zh" if t is _T["zh"] else "en"][level].split(" → ")[-1]
                 for level in missing]  # fmt: skip
        notes.append(t["implied"].format(levels="、".join(names) if t is _T["zh"] else ", ".join(names)))
    for stretch in evidence.empty:
        notes.append(_stretch_text(stretch, t, words, period, evidence))
    return tuple(notes)


def _when(day: Any, period: str, lang: str) -> str:
    """Name a period by its first day: 2017 年 1 月, the week of 2016-12-26, Q1 2017…."""
    if lang == "zh":
        return {"W": f"{day} 那一周", "M": f"{day.year} 年 {day.month} 月",
                "Q": f"{day.year} 年第 {(day.month - 1) // 3 + 1} 季度", "Y": f"{day.year} 年"}[period]
    return {"W": f"the week of {day}", "M": f"{day:%B %Y}", "Q": f"Q{(day.month - 1) // 3 + 1} {day.year}",
            "Y": f"{day.year}"}[period]  # fmt: skip


def _stretch_span(stretch: Stretch, t: dict[str, Any], period: str) -> str:
    """Say how long a stretch lasts: "连续 3 个月", or since the data begin when there never was one."""
    if stretch.last_new is None:
        return str(t["for_all"]).format(since=stretch.since)
    return str(t["for_count"]).format(n=t[f"count_{period}"].format(n=stretch.periods))


def _stretch_text(stretch: Stretch, t: dict[str, Any], words: dict[str, str], period: str,
                  evidence: Evidence) -> str:  # fmt: skip
    lang = "zh" if t is _T["zh"] else "en"
    last = ("" if stretch.last_new is None
            else t["last_new"].format(when=_when(stretch.last_new, period, lang)))  # fmt: skip
    key = f"empty_{stretch.level}" if stretch.last_new is not None else f"never_{stretch.level}"
    text = t[key].format(n=t[f"count_{period}"].format(n=stretch.periods),
                         since=stretch.since, last=last, **words)  # fmt: skip
    if stretch.level != "contacted":
        return text
    if stretch.activities:
        text += t["still_worked"].format(acts=stretch.activities, k=stretch.customers_worked,
                                         latest=t[f"latest_{period}"])  # fmt: skip
    else:
        text += t["not_worked"]
    if stretch.company_new == 0:
        text += t["saturated"].format(total=evidence.total_customers)
    else:
        text += t["others_found"].format(m=stretch.company_new)
    return text


#: Measures a report shows as funnel plots (rates and shares with a size to plot against).
PLOTTED = ("contacts", "step:qualified", "step:signed", "step:won", "win_rate", "activities")
#: Points on each limit line of a funnel plot.
_LIMIT_POINTS = 40


def funnel_plot_data(evidence: Evidence, *, lang: str = "zh", names: dict[str, str] | None = None
                     ) -> pd.DataFrame:  # fmt: skip
    """Give the long frame :func:`devvolume.viz.funnel_plot_chart` draws for one report.

    Every unit of the subject's kind (teams, or reps) on each measure of :data:`PLOTTED` the
    report judged, the typical peer and the 95 % and 99.8 % limits (spread included) over the
    units' sizes. Shares are in percent, weekly figures per rep and week. ``names`` renames units
    (peers anonymised in a rep's report); an empty frame when there is nothing to plot.
    """
    t = _T[lang]
    names = names or {}
    parts = []
    for measure in PLOTTED:
        test = evidence.tests.get(measure)
        if test is None or test.code in ("no_data", "too_few"):
            continue
        units = unit_values(evidence.cases, who=evidence.who, measure=measure)
        units = units[units["n"] > 0]
        factor = 7.0 if test.kind == "rate" else 100.0
        title = _measure(measure, t, evidence) + ("（%）" if factor == 100 and lang == "zh" else
                                                   " (%)" if factor == 100 else "")  # fmt: skip
        spread = test.spread
        clustering = float(units["clustering"].median())
        grid = np.linspace(max(float(units["n"].min()) * 0.8, 1.0), float(units["n"].max()) * 1.05,
                           _LIMIT_POINTS)  # fmt: skip
        rows = [pd.DataFrame({"series": "unit", "side": "", "n": units["n"], "unit": units["unit"].map(
            lambda unit: names.get(unit, unit)), "value": units["value"] * factor,
            "subject": units["unit"] == evidence.name})]  # fmt: skip
        centre = spread.typical * factor
        rows.append(pd.DataFrame({"series": "centre", "side": "", "n": grid, "value": centre}))
        for coverage in LIMITS:
            low, high = spread.limits(grid, coverage, clustering)
            label = f"{coverage * 100:g}"
            rows.append(pd.DataFrame({"series": label, "side": "low", "n": grid, "value": low * factor}))
            rows.append(pd.DataFrame({"series": label, "side": "high", "n": grid, "value": high * factor}))
        parts.append(pd.concat(rows, ignore_index=True).assign(measure=title))
    if not parts:
        return pd.DataFrame(columns=["measure", "series", "side", "n", "value", "subject", "unit"])
    frame = pd.concat(parts, ignore_index=True)
    frame["subject"] = frame["subject"].fillna(False).astype(bool)
    frame["unit"] = frame["unit"].fillna("")
    return frame[["measure", "series", "side", "n", "value", "subject", "unit"]]

