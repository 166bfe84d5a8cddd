# %% [markdown] tags=["remove_cell"]
# # 团队客户开发量报告（模板）
#
# 讲师用 `devvolume report SOURCE --by team --out DIR` 为每个团队运行本笔记本，导出为不含代码的 HTML（加 `--pdf` 再打印成 A4 PDF）。
# 下面带 `parameters` 标签的单元格是参数；报告的文字由代码按 `lang` 生成。
# 每个数字都在全公司的日志上算一次（截至报告日期），再取本团队的那几行，不在本团队的行上重新数。
# 教练建议只在差距明显、又不太可能是偶然（检验）时才指出瓶颈。

# %%
import pandas as pd
from IPython.display import HTML, display

import devvolume as dv

# %% tags=["parameters"]
source: str = "directsales"  # 数据：数据集名称，或工作日志表文件（.xlsx / .csv）的路径
team: str = "华东一组"  # 团队名称，与工作日志表“团队”列一致
period: str = "M"  # 统计周期：W 周、M 月、Q 季度、Y 年
as_of: str = ""  # 报告日期 YYYY-MM-DD（之后的记录不计）；留空表示数据中的最后一天
stalled_days: int = 14  # 意向或签约的客户多少天没有任何活动算“停滞”
skip_invalid: bool = False  # 工作日志表有问题的行：True 跳过（报告会注明跳过了多少行），False 拒绝生成
targets: str = ""  # 目标表文件（.xlsx / .csv：销售员、团队、月份、目标）；留空则用数据集自带的目标（如有）
lang: str = "zh"  # 报告语言：zh 中文，en 英文

# %%
dv.viz.setup(warn=False)
TEXT = {
    "zh": {
        "title": "{team} · 客户开发量报告", "meta": "数据截至 {day} · 本期 {start} 至 {end} · 团队 {reps} 人",
        "volume": "本期开发量与目标", "trend": "趋势与本期预测", "funnel": "漏斗与转化：与全公司对比",
        "board": "销售员排行", "stalled": "停滞的在谈客户", "deals": "商机：成交、复购与在谈",
        "advice": "教练建议：做得好的、要改进的、下一步", "change": "最近的变化是否显著",
        "level": "阶段", "delta": "变化", "target": "目标", "attain": "达成率",
        "team_rate": "本团队", "company_rate": "全公司", "step": "环节",
        "win_rate": "赢单率（成交 ÷ 成交与流失）", "win_rate_customers": "客户赢单率（成交 ÷ 成交与流失，按客户）",
        "no_target": "本期没有目标数据（可用 --targets 提供目标表）。",
        "partial": "本期到 {day} 为止还没有结束，比整期低是正常的。",
        "steps_caption": "表：各环节转化率，{span}首次接触的客户，按首次接触归属（之后由谁推进都算），所以能与全公司直接比较。",
        "stalled_caption": "截至 {day}，已到意向或签约、尚未成交或流失、{days} 天以上没有任何人联系的客户：阶段靠后的在前，同一阶段最近还有联系的在前（还热，先打电话）。",
        "stalled_close": "另有 {n} 个客户已 {close} 天以上无人联系，建议确认后按流失关闭，而不是排在电话名单前面：{names}。",
        "customer": "客户", "rep": "销售员", "stage": "阶段", "last": "最后活动", "idle": "停滞天数",
        "none_stalled": "截至 {day} 没有停滞的在谈客户。", "more": "另有 {n} 个未列出。",
        "evidence_caption": "表：本团队与其他团队逐项比较，“全公司”是全公司合计。销售员之间本来就差别很大，团队的数字又是几个人的合计，所以每一项都按各团队内部销售员之间的正常差异来判断（见下图）：只有落在 99.8% 界限之外、差距又够大，才算“明显”。“看得出的差距”是这份数据多半能看出来的最小差距，比它小的差距这里看不出来。漏斗、赢单率和成交周期按 {history} 的全部记录；每人每周的数字按近 {days} 天（{recent}）各人在岗的天数计算。",
        "what": "新成交客户", "money": "金额", "board_caption": "条形为{which}新成交客户，红色短线为各人目标。",
        "won": "成交", "forecast": "预测", "stalled_n": "停滞客户", "bottleneck_short": "瓶颈", "none": "无明显瓶颈",
        "deals_intro": "这份工作日志带有商机编号（来自 CRM）。客户开发量按客户算，一个客户可以有很多个商机；这一节的数字大多按商机算，每一行都注明单位，不要把商机数当成客户数。",
        "deals_caption": "表：{span}成交与流失的商机（按结果那天归期，记在成交或流失那一行的销售员名下）和同期的客户赢单率；在谈与停滞按 {day} 当天算。",
        "stalled_deals_caption": "截至 {day}，{days} 天以上没有任何活动的在谈商机（意向或以后，尚未成交或流失）：阶段靠后的在前，同一阶段最近还有活动的在前（还热，先打电话）。{close}",
        "none_stalled_deals": "截至 {day} 没有停滞的在谈商机。", "more_deals": "另有 {n} 个未列出，其中 {m} 个建议按流失关闭。",
        "deal": "商机", "action": "建议", "see_deals": "这里按客户算：一个客户只要有一个商机成交，就不再是在谈客户。在谈和停滞的商机见下面的“商机”一节。",
    },
    "en": {
        "title": "{team} · Customer development report", "meta": "Data to {day} · period {start} to {end} · {reps} reps",
        "volume": "Development volume against target", "trend": "Trend and forecast",
        "funnel": "Funnel and conversion against the company", "board": "Rep leaderboard",
        "stalled": "Stalled open customers", "deals": "Deals: won, repeat and open",
        "advice": "Coaching: what goes well, what to improve, next steps", "change": "Is the latest change significant?",
        "level": "Stage", "delta": "Change", "target": "Target", "attain": "Attainment",
        "team_rate": "Team", "company_rate": "Company", "step": "Step",
        "win_rate": "Win rate (won ÷ won and lost)", "win_rate_customers": "Customer win rate (won ÷ won and lost, by customer)",
        "no_target": "No targets for this period (give a targets file with --targets).",
        "partial": "This period runs only to {day}, so it is lower than a whole one.",
        "steps_caption": "Table: step rates of the customers first contacted {span}, credited to whoever contacted "
                         "them first (moved on by anyone), so they compare directly with the company's.",
        "stalled_caption": "On {day}: customers qualified or signed, neither won nor lost, with no contact by "
                           "anyone for {days}+ days: latest stage first, then the most recently active (still warm: call them first).",
        "stalled_close": "{n} more customers have had no contact for {close}+ days; confirm and close them as lost "
                         "rather than calling them first: {names}.",
        "customer": "Customer", "rep": "Rep", "stage": "Stage", "last": "Last activity", "idle": "Days idle",
        "none_stalled": "No stalled open customers on {day}.", "more": "{n} more not listed.",
        "evidence_caption": "Table: the team against the other teams, measure by measure; \u201cthe company\u201d is the company's total. "
                            "Reps differ a lot from each other and a team adds up a few of them, so each measure is judged against "
                            "the usual spread between reps within teams (see the chart below): only outside the 99.8 % limit, and "
                            "far enough, is a gap \u201cclear\u201d. \u201cDetectable gap\u201d is the smallest gap these data would "
                            "usually show; smaller gaps cannot be seen here. Funnel, win rate and cycle use every record {history}; "
                            "weekly figures the last {days} days ({recent}), per day at work.",
        "what": "new customers won", "money": "Money",
        "board_caption": "Bars: new customers won ({which}); red marks: each rep's target.",
        "won": "Won", "forecast": "Forecast", "stalled_n": "Stalled", "bottleneck_short": "Bottleneck",
        "none": "none",
        "deals_intro": "This work log carries deal ids (from a CRM). Development volume counts customers, and a customer can have "
                       "many deals; most figures in this section count deals, each row says its unit: never read a deal count "
                       "as a customer count.",
        "deals_caption": "Table: deals won and lost {span} (dated by their outcome, credited to the rep on the won or lost row), "
                         "and the customer win rate of the same days; open and stalled deals on {day}.",
        "stalled_deals_caption": "On {day}: open deals (qualified or later, neither won nor lost) with no activity for {days}+ days, "
                                 "the latest stage first, then the most recently active (still warm: call them first). {close}",
        "none_stalled_deals": "No stalled open deals on {day}.", "more_deals": "{n} more not listed; {m} of them to close as lost.",
        "deal": "Deal", "action": "Next step",
        "see_deals": "This counts customers: once any of its deals is won, a customer is no longer open. Open and stalled "
                     "deals are in the deals section below.",
    },
}[lang]

# The whole company's log up to the report day, and its reached levels. company.result(dv.funnel, by="team")
# is dv.funnel(company.reached, by="team"), computed once for all the reports of a batch: every figure
# below is a slice (this team's rows) of a company-wide result.
company = dv.report.load_company(source, as_of=as_of, skip_invalid=skip_invalid, targets=targets)
company.check("team", team)
day = company.day
reps = dv.report.roster(company, team)
target = dv.report.period_target(company.targets, day=day, period=period, team=team)
figures = dv.report.period_figures(company, period=period, target=target, team=team)
window = figures.comparison.period
now_label, _ = dv.report.window_labels(figures.comparison, period=period, lang=lang)
which = now_label if lang == "zh" else now_label.lower()  # "本期至今" / "this period so far"
so_far = dv.Window(window.first, day)

# Where the log has deals (商机, as a CRM export's does), the deal figures, each with its unit; None otherwise.
deals = dv.report.deal_figures(company, period=period, stalled_days=stalled_days, team=team)
if deals is not None:  # every win rate on the page says whether it counts customers or deals
    TEXT["win_rate"] = TEXT["win_rate_customers"]
numbers = iter("一二三四五六七八九十" if lang == "zh" else range(1, 11))


def section(key: str) -> None:
    """Show a numbered section heading (the deal section is there only on a log with deals)."""
    number = next(numbers)
    dv.viz.heading(f"{number}、{TEXT[key]}" if lang == "zh" else f"{number}. {TEXT[key]}")


dv.viz.heading(TEXT["title"].format(team=team), 1)
dv.viz.paragraph(TEXT["meta"].format(day=day, start=window.first, end=window.last, reps=len(reps)))
if company.skipped is not None:
    dv.report.notice(company.skipped.notice(lang))
if company.imported is not None:  # a work log imported from a CRM export: the deals no figure counts
    dv.report.notice(dv.report.import_text(company.imported, lang=lang))

# %%
section("volume")
dv.viz.paragraph(dv.report.describe_comparison(figures.comparison, period=period, lang=lang))
display(dv.report.volume_table(figures, text=TEXT, lang=lang))
for level in dv.LEVELS:  # a level the data cover only in part before: what was compared instead
    if note := dv.report.coverage_note(figures, level, lang=lang):
        dv.viz.paragraph(note)
if target is None:
    dv.viz.paragraph(TEXT["no_target"])
money = dv.report.money_figures(company, so_far, team=team)
if money is not None:
    dv.viz.paragraph(money.text(lang))

# %%
section("trend")
first_period = figures.volumes["period"].min().date()  # the data's first period, at most 12 back
shown = dv.Window(max(dv.period_window(day, period, back=11).first, first_period), window.last)
display(dv.report.trend_chart(figures.volumes, period=period, window=shown, lang=lang))
if figures.comparison.partial:
    dv.viz.paragraph(TEXT["partial"].format(day=day))
dv.viz.paragraph(dv.report.outlook_text(figures, lang=lang))

# %%
section("funnel")
history = dv.Window(company.log["date"].min().date(), day)
team_funnel = dv.report.pick(company.result(dv.funnel, by="team"), team=team)
company_funnel = company.result(dv.funnel)
display(dv.viz.funnel(team_funnel, lang=lang, title=dv.report.funnel_title(history, lang=lang)))
win_rates = {
    TEXT["team_rate"]: dv.report.pick(company.result(dv.win_rate, by="team"), team=team)["win_rate"].sum(min_count=1),
    TEXT["company_rate"]: company.result(dv.win_rate)["win_rate"].iloc[0],
}
dv.report.caption(TEXT["steps_caption"].format(span=dv.report.span_text(history, lang=lang)))
recorded = dv.report.recorded_levels(company)  # levels some row names; a step next to an unrecorded one shows —
display(dv.report.step_table({TEXT["team_rate"]: team_funnel, TEXT["company_rate"]: company_funnel}, win_rates,
                             step=TEXT["step"], win_rate=TEXT["win_rate"], lang=lang, recorded=recorded))
if (unrecorded := dv.report.unrecorded_note(recorded, lang)) is not None:
    dv.report.caption(unrecorded)

# %%
section("board")
won = company.result(dv.development_volume, level="won", period=period, by=["team", "rep"])
credited = dv.report.pick(won, team=team, period=window.first)[["rep", "volume"]]
board = pd.DataFrame({"rep": reps}).merge(credited, on="rep", how="left").fillna({"volume": 0})
board["volume"] = board["volume"].astype("int64")
if company.targets is not None and period != "W":
    board["target"] = pd.Series(
        [dv.report.period_target(company.targets, day=day, period=period, team=team, rep=rep) for rep in reps],
        dtype="float64")
display(dv.report.leaderboard_chart(board, window=so_far, lang=lang))
if "target" in board.columns:
    dv.report.caption(TEXT["board_caption"].format(which=which))

# %%
section("stalled")
calls = dv.report.call_list(company, idle_days=stalled_days, team=team)  # the meeting pack's call list
stalled = pd.concat([calls.call, calls.close], ignore_index=True)
if stalled.empty:
    dv.viz.paragraph(TEXT["none_stalled"].format(day=day))
    if deals is not None and not deals.stalled.empty:  # customers all won once: the deals may still stall
        dv.viz.paragraph(TEXT["see_deals"])
if not calls.call.empty:
    dv.report.caption(TEXT["stalled_caption"].format(day=day, days=stalled_days))
    listed = calls.call.head(15)
    display(pd.DataFrame({
        TEXT["customer"]: listed["customer"], TEXT["rep"]: listed["rep"],
        TEXT["stage"]: [dv.viz.label(level, lang) for level in listed["level"]],
        TEXT["last"]: listed["last_date"].dt.strftime("%Y-%m-%d"), TEXT["idle"]: listed["idle_days"],
    }).set_index(TEXT["customer"]))
    if len(calls.call) > len(listed):
        dv.viz.paragraph(TEXT["more"].format(n=len(calls.call) - len(listed)))
if not calls.close.empty:
    closing = calls.close["customer"].astype(str).tolist()
    close_names = ("、" if lang == "zh" else ", ").join(closing[:5]) + (("等" if lang == "zh" else ", …") if len(closing) > 5 else "")
    dv.viz.paragraph(TEXT["stalled_close"].format(n=len(closing), close=calls.close_after_days, names=close_names))

# %%
if deals is not None:
    section("deals")
    dv.viz.paragraph(TEXT["deals_intro"])
    company_deals = dv.report.deal_figures(company, period=period, stalled_days=stalled_days)
    dv.report.caption(TEXT["deals_caption"].format(span=deals.mix.span(lang), day=day))
    display(dv.report.deal_table({TEXT["team_rate"]: deals, TEXT["company_rate"]: company_deals}, lang=lang))
    if rates := deals.rates_text(lang=lang):
        dv.viz.paragraph(rates)
    if deals.stalled.empty:
        dv.viz.paragraph(TEXT["none_stalled_deals"].format(day=day))
    else:
        dv.report.caption(TEXT["stalled_deals_caption"].format(day=day, days=stalled_days, close=deals.close_rule(lang)))
        listed = dv.report.stalled_deal_rows(deals, labels=TEXT, lang=lang)
        display(listed)
        rest = deals.stalled.iloc[len(listed):]
        if len(rest):
            dv.viz.paragraph(TEXT["more_deals"].format(n=len(rest), m=int(rest["suggest_close"].sum())))

# %%
section("advice")
evidence, coaching = dv.report.advise(company, figures, money=money, stalled_days=stalled_days, lang=lang,
                                     deals=deals)
display(HTML(coaching.html(lang=lang)))
dv.report.caption(TEXT["evidence_caption"].format(
    history=dv.report.span_text(evidence.history, lang=lang), days=dv.report.EVIDENCE_DAYS,
    recent=dv.report.span_text(evidence.recent, lang=lang)))
display(coaching.table)
plotted = dv.report.funnel_plot_data(evidence, lang=lang)
if not plotted.empty:
    display(dv.viz.funnel_plot_chart(plotted, lang=lang))

# %%
section("change")
dv.viz.paragraph(dv.report.describe_comparison(figures.comparison, period=period, lang=lang))
dv.viz.paragraph(dv.report.change_text(figures, level="won", what=TEXT["what"], lang=lang))

dv.report.publish_figures(figures, money=money, stalled=len(stalled), coaching=coaching, text=TEXT,
                          evidence=evidence, deals=deals)
