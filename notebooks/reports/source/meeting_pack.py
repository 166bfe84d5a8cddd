# %% [markdown] tags=["remove_cell"]
# # 团队周会材料（模板）
#
# 讲师或团队经理用 `devvolume report SOURCE --by team --kind meeting --out DIR` 为每个团队生成周会材料：
# 本周与上周对比、每位销售员的数字、停滞客户和讨论要点。报告的文字由代码按 `lang` 生成。
# 本周还没过完时，与上周同样的天数比较（周一到同一个星期几），不拿几天和一整周比。

# %%
from html import escape

import pandas as pd
from IPython.display import HTML, display

import devvolume as dv

# %% tags=["parameters"]
source: str = "directsales"  # 数据：数据集名称，或工作日志表文件（.xlsx / .csv）的路径
team: str = "华东一组"  # 团队名称，与工作日志表“团队”列一致
as_of: str = ""  # 报告日期 YYYY-MM-DD：回顾它所在的一周（周一开始），之后的记录不计；留空表示数据中的最后一天
stalled_days: int = 14  # 意向或签约客户多少天没有任何活动算“停滞”
skip_invalid: bool = False  # 工作日志表有问题的行：True 跳过（材料会注明跳过了多少行），False 拒绝生成
targets: str = ""  # 目标表文件（.xlsx / .csv）；周会材料不按周分目标，只为与其他报告参数一致
lang: str = "zh"  # 材料语言：zh 中文，en 英文

# %%
dv.viz.setup(warn=False)
TEXT = {
    "zh": {
        "title": "{team} · 周会材料", "meta": "本周 {start} 至 {day}（数据截至 {day}）",
        "summary": "一、本周与上周", "reps": "二、每位销售员的数字", "stalled": "三、停滞客户",
        "points": "四、讨论要点", "measure": "指标", "delta": "变化",
        "contacted": "新接触客户", "won": "新成交客户", "activity": "活动次数", "rep": "销售员",
        "customer": "客户", "stage": "阶段", "last_date": "最后活动", "idle": "停滞天数",
        "none_stalled": "截至 {day} 没有停滞的客户。", "more": "另有 {n} 个未列出。",
        "summary_caption": "表：全团队，{now}与{before}。", "reps_caption": "表：每位销售员，{now}与{before}。",
        "stalled_caption": "截至 {day}，已到意向或签约、尚未成交或流失、{days} 天以上没有任何人联系的客户（停滞最久的在前）。",
        "chart": "新接触客户（按销售员，{span}）",
        "up": "{rep}：新接触客户从 {before} 个增加到 {after} 个（p {p}），变化明显：请在会上分享做法。",
        "down": "{rep}：新接触客户从 {before} 个减少到 {after} 个（p {p}），变化明显：一起看看是时间被占用，还是线索不够。",
        "chance": "{who}的增减都在偶然波动的范围内（每人每周只有几个新客户），不必逐一追问。",
        "others": "其他人", "everyone": "每个人",
        "quiet": "{which}和{last}都没有新接触客户的销售员：{reps}。一起看看下周的拜访计划。",
        "oldest": "停滞最久的是 {customer}（{rep}，{days} 天）。本周先联系停滞最久的 {n} 个客户。",
        "coach": "与其他团队相比（按各团队内部销售员之间的正常差异来判断；漏斗、赢单率、成交周期按全部记录，每人每周的数字按近 {days} 天在岗的天数）：",
        "what": "新首次接触客户", "stalled_n": "停滞客户",
    },
    "en": {
        "title": "{team} · Weekly meeting pack", "meta": "This week {start} to {day} (data to {day})",
        "summary": "1. This week against last week", "reps": "2. Each rep's numbers",
        "stalled": "3. Stalled customers", "points": "4. Discussion points",
        "measure": "Measure", "delta": "Change",
        "contacted": "New customers contacted", "won": "New customers won", "activity": "Activities", "rep": "Rep",
        "customer": "Customer", "stage": "Stage", "last_date": "Last activity", "idle": "Days idle",
        "none_stalled": "No stalled customers on {day}.", "more": "{n} more not listed.",
        "summary_caption": "Table: the whole team, {now} against {before}.",
        "reps_caption": "Table: each rep, {now} against {before}.",
        "stalled_caption": "On {day}: customers qualified or signed, neither won nor lost, with no contact by anyone "
                           "for {days}+ days (longest stalled first).",
        "chart": "New customers contacted, by rep ({span})",
        "up": "{rep}: new customers contacted rose from {before} to {after} (p {p}), a clear change: ask for "
              "what worked.",
        "down": "{rep}: new customers contacted fell from {before} to {after} (p {p}), a clear change: short of "
                "time, or of leads?",
        "others": "Everyone else", "everyone": "Everyone",
        "chance": "{who}'s ups and downs are within chance (a rep finds only a few new customers a "
                  "week): no need to question each one.",
        "quiet": "No new contacts in either window ({which} and {last}): {reps}. Plan next week's visits "
                 "together.",
        "oldest": "The longest stalled is {customer} ({rep}, {days} days). Call the {n} longest-stalled "
                  "customers first this week.",
        "coach": "Against the other teams (judged against the usual spread between reps within teams; funnel, win "
                 "rate and cycle over every record; weekly figures over the last {days} days, per day at work):",
        "what": "new customers contacted", "stalled_n": "Stalled",
    },
}[lang]

# The whole company's log up to the report day, and its reached levels. company.result(dv.funnel, by="team")
# is dv.funnel(company.reached, by="team"), computed once for all the reports of a batch: every figure
# below is a slice (this team's rows) of a company-wide result.
company = dv.report.load_company(source, as_of=as_of, skip_invalid=skip_invalid, targets=targets)
company.check("team", team)
day, reached = company.day, company.reached
figures = dv.report.period_figures(company, period="W", team=team)  # this week so far, and the same days of last week
comparison = figures.comparison
this_label, last_label = dv.report.window_labels(comparison, period="W", lang=lang)
which = this_label if lang == "zh" else this_label.lower()  # "本周至今" / "this week so far"
review = dv.report.weekly_review(company, team=team)
now_span = dv.report.span_text(comparison.current, lang=lang)
before_span = dv.report.span_text(comparison.previous, lang=lang)
windows = {"now": f"{this_label}（{now_span}）" if lang == "zh" else f"{this_label.lower()} ({now_span})",
           "before": f"{last_label}（{before_span}）" if lang == "zh" else f"{last_label.lower()} ({before_span})"}

dv.viz.heading(TEXT["title"].format(team=team), 1)
dv.viz.paragraph(TEXT["meta"].format(start=comparison.current.first, day=day))
dv.viz.paragraph(dv.report.describe_comparison(comparison, period="W", lang=lang))
if company.skipped is not None:
    dv.report.notice(company.skipped.notice(lang))

# %%
dv.viz.heading(TEXT["summary"])
total = review[review["rep"] == dv.report.TOTAL].iloc[0]
MEASURES = {"新接触": "contacted", "新成交": "won", "活动": "activity"}
dv.report.caption(TEXT["summary_caption"].format(**windows))
display(pd.DataFrame({
    TEXT["measure"]: [TEXT[key] for key in MEASURES.values()],
    this_label: [int(total[f"{zh}_本周"]) for zh in MEASURES],
    last_label: [int(total[f"{zh}_上周"]) for zh in MEASURES],
    TEXT["delta"]: [int(total[f"{zh}_变化"]) for zh in MEASURES],
}).set_index(TEXT["measure"]))
dv.viz.paragraph(dv.report.change_text(figures, level="contacted", what=TEXT["what"], lang=lang))

# %%
dv.viz.heading(TEXT["reps"])
reps = review[review["rep"] != dv.report.TOTAL].drop(columns=["team"])
table = reps.set_index("rep").rename_axis(TEXT["rep"])
table.columns = pd.MultiIndex.from_tuples(
    [(TEXT[MEASURES[zh]], {"本周": this_label, "上周": last_label, "变化": TEXT["delta"]}[when])
     for zh, when in (column.split("_") for column in table.columns)])
dv.report.caption(TEXT["reps_caption"].format(**windows))
display(table)
display(dv.report.leaderboard_chart(reps[["rep"]].assign(volume=reps["新接触_本周"]), window=comparison.current,
                                    lang=lang, measure=TEXT["contacted"],
                                    title=TEXT["chart"].format(span=now_span)))

# %%
dv.viz.heading(TEXT["stalled"])
stalled = dv.report.pick(company.result(dv.stalled_customers, as_of=day, idle_days=stalled_days), team=team)
if stalled.empty:
    dv.viz.paragraph(TEXT["none_stalled"].format(day=day))
else:
    dv.report.caption(TEXT["stalled_caption"].format(day=day, days=stalled_days))
    listed = stalled.head(15)
    display(pd.DataFrame({
        TEXT["customer"]: listed["customer"], TEXT["rep"]: listed["rep"],
        TEXT["stage"]: [dv.viz.label(level, lang) for level in listed["level"]],
        TEXT["last_date"]: listed["last_date"].dt.strftime("%Y-%m-%d"), TEXT["idle"]: listed["idle_days"],
    }).set_index(TEXT["customer"]))
    if len(stalled) > len(listed):
        dv.viz.paragraph(TEXT["more"].format(n=len(stalled) - len(listed)))

# %%
dv.viz.heading(TEXT["points"])
points = []
changes = dv.report.rep_changes(reached, comparison, team=team, reps=reps["rep"].tolist())
for change in changes[changes["significant"]].itertuples():
    key = "up" if change.after > change.before else "down"
    p = "< 0.001" if change.p_value < 0.001 else f"= {change.p_value:.3f}"
    points.append(TEXT[key].format(rep=change.rep, before=change.before, after=change.after, p=p))
if len(changes) > int(changes["significant"].sum()) and (changes["before"] != changes["after"]).any():
    points.append(TEXT["chance"].format(who=TEXT["others"] if changes["significant"].any() else TEXT["everyone"]))
quiet = reps.loc[(reps["新接触_本周"] == 0) & (reps["新接触_上周"] == 0), "rep"].tolist()
if quiet:
    points.append(TEXT["quiet"].format(reps="、".join(quiet) if lang == "zh" else ", ".join(quiet), which=which,
                                       last=last_label if lang == "zh" else last_label.lower()))
if not stalled.empty:
    first = stalled.iloc[0]
    points.append(TEXT["oldest"].format(customer=first["customer"], rep=first["rep"], days=int(first["idle_days"]),
                                        n=min(5, len(stalled))))
display(HTML("<ol>" + "".join(f"<li>{escape(point)}</li>" for point in points) + "</ol>"))

evidence = dv.report.gather(company, who="team", name=team, period="W", stalled_days=stalled_days,
                            volumes=figures.volumes)
coaching = dv.report.coach(evidence, lang=lang, period="W", stalled_days=stalled_days)
dv.viz.paragraph(TEXT["coach"].format(days=dv.report.EVIDENCE_DAYS))
display(HTML(coaching.html(lang=lang)))

dv.report.publish_summary(figures.summary(), evidence=dv.report.evidence_rows(evidence), **{
    TEXT["contacted"]: int(total["新接触_本周"]), TEXT["won"]: int(total["新成交_本周"]),
    TEXT["activity"]: int(total["活动_本周"]), TEXT["stalled_n"]: len(stalled),
})
