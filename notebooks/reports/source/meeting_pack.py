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
lang: str = "zh"  # 材料语言：zh 中文，en 英文

# %%
dv.viz.setup(warn=False)
TEXT = {
    "zh": {
        "title": "{team} · 周会材料", "meta": "本周 {start} 至 {day}（数据截至 {day}）",
        "summary": "一、本周与上周", "reps": "二、每位销售员的数字", "stalled": "三、停滞客户（{days} 天以上无活动）",
        "points": "四、讨论要点", "measure": "指标", "delta": "变化",
        "contacted": "新接触客户", "won": "新成交客户", "activity": "活动次数", "rep": "销售员",
        "customer": "客户", "stage": "阶段", "last_date": "最后活动", "idle": "停滞天数",
        "none_stalled": "没有停滞的客户。", "more": "另有 {n} 个未列出。", "chart": "{which}新接触客户（按销售员）",
        "up": "{rep} {which}新接触客户比{last}多 {n} 个，请他分享做法。",
        "down": "{rep} {which}新接触客户比{last}少 {n} 个：是时间被占用，还是线索不够？",
        "idle_reps": "{which}没有新接触客户的销售员：{reps}。一起看看下周的拜访计划。",
        "oldest": "停滞最久的是 {customer}（{rep}，{days} 天）。本周先联系停滞最久的 {n} 个客户。",
        "no_points": "各项数字与上周相近，按计划推进。", "advice": "漏斗瓶颈在“{step}”，建议：",
        "what": "新首次接触客户", "stalled_n": "停滞客户",
    },
    "en": {
        "title": "{team} · Weekly meeting pack", "meta": "This week {start} to {day} (data to {day})",
        "summary": "1. This week against last week", "reps": "2. Each rep's numbers",
        "stalled": "3. Stalled customers (no activity for {days}+ days)", "points": "4. Discussion points",
        "measure": "Measure", "delta": "Change",
        "contacted": "New customers contacted", "won": "New customers won", "activity": "Activities", "rep": "Rep",
        "customer": "Customer", "stage": "Stage", "last_date": "Last activity", "idle": "Days idle",
        "none_stalled": "No stalled customers.", "more": "{n} more not listed.",
        "chart": "New customers contacted, by rep ({which})",
        "up": "{rep} contacted {n} more new customers ({which}) than {last}: ask them to share how.",
        "down": "{rep} contacted {n} fewer new customers ({which}) than {last}: short of time, or of leads?",
        "idle_reps": "Reps with no new contacts ({which}): {reps}. Plan next week's visits together.",
        "oldest": "The longest stalled is {customer} ({rep}, {days} days). Call the {n} longest-stalled customers first this week.",
        "no_points": "The numbers are close to last week's; carry on with the plan.",
        "advice": "The funnel's bottleneck is {step}; recommended:", "what": "new customers contacted",
        "stalled_n": "Stalled",
    },
}[lang]

# The whole company's log up to the report day, and its reached levels, computed once:
# every figure below is a slice (this team's rows) of a company-wide result.
company = dv.report.load_company(source, as_of=as_of)
company.check("team", team)
day, reached = company.day, company.reached
figures = dv.report.period_figures(company, period="W", team=team)  # this week so far, and the same days of last week
comparison = figures.comparison
this_label, last_label = dv.report.window_labels(comparison, period="W", lang=lang)
which = this_label if lang == "zh" else this_label.lower()  # "本周至今" / "this week so far"
review = dv.report.weekly_review(company.log, as_of=day, team=team, reached=reached)

dv.viz.heading(TEXT["title"].format(team=team), 1)
dv.viz.paragraph(TEXT["meta"].format(start=comparison.current.first, day=day))
dv.viz.paragraph(dv.report.describe_comparison(comparison, period="W", lang=lang))

# %%
dv.viz.heading(TEXT["summary"])
total = review[review["rep"] == dv.report.TOTAL].iloc[0]
MEASURES = {"新接触": "contacted", "新成交": "won", "活动": "activity"}
display(pd.DataFrame({
    TEXT["measure"]: [TEXT[key] for key in MEASURES.values()],
    this_label: [int(total[f"{zh}_本周"]) for zh in MEASURES],
    last_label: [int(total[f"{zh}_上周"]) for zh in MEASURES],
    TEXT["delta"]: [int(total[f"{zh}_变化"]) for zh in MEASURES],
}).set_index(TEXT["measure"]))
dv.viz.paragraph(dv.report.change_text(figures.changes["contacted"], what=TEXT["what"], lang=lang))

# %%
dv.viz.heading(TEXT["reps"])
reps = review[review["rep"] != dv.report.TOTAL].drop(columns=["team"])
table = reps.set_index("rep").rename_axis(TEXT["rep"])
table.columns = pd.MultiIndex.from_tuples(
    [(TEXT[MEASURES[zh]], {"本周": this_label, "上周": last_label, "变化": TEXT["delta"]}[when])
     for zh, when in (column.split("_") for column in table.columns)])
display(table)
display(dv.viz.leaderboard(reps[["rep"]].assign(volume=reps["新接触_本周"]), lang=lang,
                           title=TEXT["chart"].format(which=which)))

# %%
dv.viz.heading(TEXT["stalled"].format(days=stalled_days))
stalled = dv.report.pick(dv.stalled_customers(reached, as_of=day, idle_days=stalled_days), team=team)
if stalled.empty:
    dv.viz.paragraph(TEXT["none_stalled"])
else:
    shown = stalled.head(15)
    display(pd.DataFrame({
        TEXT["customer"]: shown["customer"], TEXT["rep"]: shown["rep"],
        TEXT["stage"]: [dv.viz.label(level, lang) for level in shown["level"]],
        TEXT["last_date"]: shown["last_date"].dt.strftime("%Y-%m-%d"), TEXT["idle"]: shown["idle_days"],
    }).set_index(TEXT["customer"]))
    if len(stalled) > len(shown):
        dv.viz.paragraph(TEXT["more"].format(n=len(stalled) - len(shown)))

# %%
dv.viz.heading(TEXT["points"])
points = []
if lang == "zh":
    words = {"which": which, "last": last_label}
else:
    words = {"which": which, "last": "the same days of last week" if comparison.partial else "last week"}
moves = reps.sort_values(["新接触_变化", "rep"], ascending=[False, True])
if not moves.empty and moves["新接触_变化"].iloc[0] > 0:
    points.append(TEXT["up"].format(rep=moves["rep"].iloc[0], n=int(moves["新接触_变化"].iloc[0]), **words))
moves = reps.sort_values(["新接触_变化", "rep"], ascending=[True, True])
if not moves.empty and moves["新接触_变化"].iloc[0] < 0:
    points.append(TEXT["down"].format(rep=moves["rep"].iloc[0], n=-int(moves["新接触_变化"].iloc[0]), **words))
idle = reps.loc[reps["新接触_本周"] == 0, "rep"].tolist()
if idle:
    points.append(TEXT["idle_reps"].format(reps="、".join(idle) if lang == "zh" else ", ".join(idle), **words))
if not stalled.empty:
    first = stalled.iloc[0]
    points.append(TEXT["oldest"].format(customer=first["customer"], rep=first["rep"], days=int(first["idle_days"]),
                                        n=min(5, len(stalled))))
bottleneck = dv.report.find_bottleneck(
    dv.report.pick(dv.funnel(reached, by="team"), team=team), dv.funnel(reached),
    reps=len(dv.report.roster(company, team)), company_reps=company.log["rep"].nunique())
advice = dv.report.recommendations(bottleneck, stalled=len(dv.report.pick(stalled, level="signed")), lang=lang)
items = "".join(f"<li>{escape(point)}</li>" for point in points or [TEXT["no_points"]])
colon = "：" if lang == "zh" else ": "
items += (f"<li>{escape(TEXT['advice'].format(step=bottleneck.step_name(lang)))}<ul>"
          + "".join(f"<li><b>{escape(s)}</b>{colon}{escape(a)}</li>" for s, a in advice) + "</ul></li>")
display(HTML(f"<ol>{items}</ol>"))

dv.report.publish_summary(figures.summary(), **{
    TEXT["contacted"]: int(total["新接触_本周"]), TEXT["won"]: int(total["新成交_本周"]),
    TEXT["activity"]: int(total["活动_本周"]), TEXT["stalled_n"]: len(stalled),
})
