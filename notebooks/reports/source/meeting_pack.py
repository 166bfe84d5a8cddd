# %% [markdown] tags=["remove_cell"]
# # 团队周会材料（模板）
#
# 讲师或团队经理用 `devvolume report SOURCE --by team --kind meeting --out DIR` 为每个团队生成周会材料：
# 本周与上周对比、每位销售员的数字、停滞客户和讨论要点。报告的文字由代码按 `lang` 生成。

# %%
from html import escape

import pandas as pd
from IPython.display import HTML, display

from devvolume import charts, coaching, metrics, stats
from devvolume.display import heading, paragraph, setup
from devvolume.meeting import stalled_customers, weekly_review
from devvolume.reports import load_source, period_window, publish_summary

# %% tags=["parameters"]
source: str = "directsales"  # 数据：数据集名称，或工作日志表文件（.xlsx / .csv）的路径
team: str = "华东一组"  # 团队名称，与工作日志表“团队”列一致
week: str = ""  # 要回顾的一周中的任意一天 YYYY-MM-DD；留空表示数据中最后一天所在的周
stalled_days: int = 14  # 意向或签约客户多少天没有任何活动算“停滞”
lang: str = "zh"  # 材料语言：zh 中文，en 英文

# %%
setup(warn=False)
TEXT = {
    "zh": {
        "title": "{team} · 周会材料", "meta": "本周 {start} 至 {end}（与上周 {last_start} 至 {last_end} 对比）",
        "summary": "一、本周与上周", "reps": "二、每位销售员的数字", "stalled": "三、停滞客户（{days} 天以上无活动）",
        "points": "四、讨论要点", "measure": "指标", "this": "本周", "last": "上周", "delta": "变化",
        "contacted": "新接触客户", "won": "新成交客户", "activity": "活动次数", "rep": "销售员",
        "customer": "客户", "stage": "阶段", "last_date": "最后活动", "idle": "停滞天数",
        "none_stalled": "没有停滞的客户。", "more": "另有 {n} 个未列出。", "chart": "本周新接触客户（按销售员）",
        "up": "{rep} 本周新接触客户比上周多 {n} 个，请他分享做法。",
        "down": "{rep} 本周新接触客户比上周少 {n} 个：是时间被占用，还是线索不够？",
        "idle_reps": "本周没有新接触客户的销售员：{reps}。一起看看下周的拜访计划。",
        "oldest": "停滞最久的是 {customer}（{rep}，{days} 天）。本周先联系停滞最久的 {n} 个客户。",
        "no_points": "各项数字与上周相近，按计划推进。", "advice": "漏斗瓶颈在“{step}”，建议：",
        "stalled_n": "停滞客户",
    },
    "en": {
        "title": "{team} · Weekly meeting pack", "meta": "This week {start} to {end} (against last week {last_start} to {last_end})",
        "summary": "1. This week against last week", "reps": "2. Each rep's numbers",
        "stalled": "3. Stalled customers (no activity for {days}+ days)", "points": "4. Discussion points",
        "measure": "Measure", "this": "This week", "last": "Last week", "delta": "Change",
        "contacted": "New customers contacted", "won": "New customers won", "activity": "Activities", "rep": "Rep",
        "customer": "Customer", "stage": "Stage", "last_date": "Last activity", "idle": "Days idle",
        "none_stalled": "No stalled customers.", "more": "{n} more not listed.", "chart": "New customers contacted this week, by rep",
        "up": "{rep} contacted {n} more new customers than last week: ask them to share how.",
        "down": "{rep} contacted {n} fewer new customers than last week: short of time, or short of leads?",
        "idle_reps": "Reps with no new contacts this week: {reps}. Plan next week's visits together.",
        "oldest": "The longest stalled is {customer} ({rep}, {days} days). Call the {n} longest-stalled customers first this week.",
        "no_points": "The numbers are close to last week's; carry on with the plan.",
        "advice": "The funnel's bottleneck is {step}; recommended:", "stalled_n": "Stalled",
    },
}[lang]


data = load_source(source)
day = pd.Timestamp(week) if week else data.worklog["date"].max().normalize()
start, end = period_window(day, "W")
last_start, last_end = period_window(day, "W", back=1)
company, log = coaching.select(data.worklog, column="team", name=team, until=end, parameter="week")
last_day = min(end, company["date"].max().normalize())  # the week may still be running
heading(TEXT["title"].format(team=team), 1)
paragraph(TEXT["meta"].format(start=f"{start:%Y-%m-%d}", end=f"{last_day:%Y-%m-%d}",
                              last_start=f"{last_start:%Y-%m-%d}", last_end=f"{last_end:%Y-%m-%d}"))

# %%
heading(TEXT["summary"])
review = weekly_review(log, week=start, team=team)
total = review[review["rep"] == "合计"].iloc[0]
MEASURES = {"新接触": "contacted", "新成交": "won", "活动": "activity"}
display(pd.DataFrame({
    TEXT["measure"]: [TEXT[key] for key in MEASURES.values()],
    TEXT["this"]: [int(total[f"{zh}_本周"]) for zh in MEASURES],
    TEXT["last"]: [int(total[f"{zh}_上周"]) for zh in MEASURES],
    TEXT["delta"]: [int(total[f"{zh}_变化"]) for zh in MEASURES],
}).set_index(TEXT["measure"]))
change = stats.compare_periods(log, before=(last_start, last_end), after=(start, last_day), metric="volume",
                               level="contacted")
if lang == "zh":
    paragraph(change.message)
else:
    verdict = "a real change" if change.significant else "possibly just chance"
    paragraph(f"New customers contacted: {change.before[0]} last week, {change.after[0]} this week "
              f"(×{change.effect:.2f}, p = {change.p_value:.3f}); {verdict}.")

# %%
heading(TEXT["reps"])
reps = review[review["rep"] != "合计"].drop(columns=["team"])
table = reps.set_index("rep").rename_axis(TEXT["rep"])
table.columns = pd.MultiIndex.from_tuples(
    [(TEXT[MEASURES[zh]], TEXT[{"本周": "this", "上周": "last", "变化": "delta"}[when]])
     for zh, when in (column.split("_") for column in table.columns)])
display(table)
display(charts.leaderboard(reps[["rep"]].assign(volume=reps["新接触_本周"]), lang=lang, title=TEXT["chart"]))

# %%
heading(TEXT["stalled"].format(days=stalled_days))
stalled = stalled_customers(company, as_of=end + pd.Timedelta(days=1), idle_days=stalled_days, team=team)
if stalled.empty:
    paragraph(TEXT["none_stalled"])
else:
    shown = stalled.head(15)
    display(pd.DataFrame({
        TEXT["customer"]: shown["customer"], TEXT["rep"]: shown["rep"],
        TEXT["stage"]: [charts.label(stage, lang) for stage in shown["stage"]],
        TEXT["last_date"]: shown["last_date"].dt.strftime("%Y-%m-%d"), TEXT["idle"]: shown["idle_days"],
    }).set_index(TEXT["customer"]))
    if len(stalled) > len(shown):
        paragraph(TEXT["more"].format(n=len(stalled) - len(shown)))

# %%
heading(TEXT["points"])
points = []
moves = reps.sort_values(["新接触_变化", "rep"], ascending=[False, True])
if not moves.empty and moves["新接触_变化"].iloc[0] > 0:
    points.append(TEXT["up"].format(rep=moves["rep"].iloc[0], n=int(moves["新接触_变化"].iloc[0])))
moves = reps.sort_values(["新接触_变化", "rep"], ascending=[True, True])
if not moves.empty and moves["新接触_变化"].iloc[0] < 0:
    points.append(TEXT["down"].format(rep=moves["rep"].iloc[0], n=-int(moves["新接触_变化"].iloc[0])))
idle = reps.loc[reps["新接触_本周"] == 0, "rep"].tolist()
if idle:
    points.append(TEXT["idle_reps"].format(reps="、".join(idle) if lang == "zh" else ", ".join(idle)))
if not stalled.empty:
    first = stalled.iloc[0]
    points.append(TEXT["oldest"].format(customer=first["customer"], rep=first["rep"], days=int(first["idle_days"]),
                                        n=min(5, len(stalled))))
bottleneck = coaching.find_bottleneck(metrics.funnel(log), metrics.funnel(company), reps=log["rep"].nunique(),
                                      company_reps=company["rep"].nunique())
advice = coaching.recommendations(bottleneck, stalled=int((stalled["stage"] == "signed").sum()), lang=lang)
items = "".join(f"<li>{escape(point)}</li>" for point in points or [TEXT["no_points"]])
colon = "：" if lang == "zh" else ": "
items += (f"<li>{escape(TEXT['advice'].format(step=bottleneck.step_name(lang)))}<ul>"
          + "".join(f"<li><b>{escape(s)}</b>{colon}{escape(a)}</li>" for s, a in advice) + "</ul></li>")
display(HTML(f"<ol>{items}</ol>"))

publish_summary(**{
    TEXT["contacted"]: int(total["新接触_本周"]), TEXT["won"]: int(total["新成交_本周"]),
    TEXT["activity"]: int(total["活动_本周"]), TEXT["stalled_n"]: len(stalled),
})
