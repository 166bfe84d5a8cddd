# %% [markdown] tags=["dv-run-first"]
# > **先运行，再阅读。** 打开时看到的表格和图，是用课程自带的案例数据、按默认参数事先算好的示例；
# > 小工具（下拉框、滑块、“加载”按钮）要运行以后才会出现。请先点菜单 **运行 → 运行全部单元格**
# > （Run → Run All Cells），再从上往下读。改了参数、载入了你自己的工作日志表，下面的数字才会跟着变。

# %% [markdown]
# # 第二课 客户开发量怎么算：定周期、收数据、做汇总
#
# 第一课讲清了“数什么”。这一课讲“怎么数”：三个步骤，每一步都有一个容易踩的坑。
#
# | 步骤 | 要做的事 | 常见的坑 |
# |---|---|---|
# | 1. 定周期 | 选周、月、季度或年，并说清楚每个周期从哪天开始、到哪天结束 | 把“一个月”当成 30 天；周的起止日不统一 |
# | 2. 收数据 | 每次活动记一行工作日志，同一个客户写法一致 | 客户名前后写法不同，一个客户变成两个 |
# | 3. 做汇总 | 把每个周期的新客户数加起来，按人、按团队、按时间拆开看 | 漏掉为 0 的周期；把每月活跃客户相加 |
#
# **学完这一课，你能够：**
#
# 1. 按自然周（周一到周日）、自然月、季度、年划分统计周期，知道边界上的日期归哪一期；
# 2. 说出一份合格的工作日志表要记哪些列，怎样避免“一个客户变两个”；
# 3. 把开发量按销售员、团队、时间汇总，并验证“每个人加起来 = 团队 = 全公司”；
# 4. 解释为什么新客户数可以相加，而活跃客户数不能。

# %% tags=["parameters"]
dataset: str = "directsales"  # 案例数据集 directsales / fmcg / software，或你自己的工作日志表的路径（.xlsx / .csv / .parquet）
team: str = ""  # 只看某个团队，空字符串表示全公司
period: str = "M"  # 统计周期：W 周、M 月、Q 季、Y 年
level: str = "won"  # 数到哪一级：contacted 首次接触 / qualified 意向 / signed 签约 / won 成交

# %%
import pandas as pd
from IPython.display import display as show

import devvolume as dv

dv.viz.setup()
data = dv.teach.lesson_data(dataset, team)  # 案例数据集，或你自己的工作日志表（只用没有问题的行）
log = data.worklog  # 全公司的日志；选了团队时，团队的数字从全公司的结果里挑出来
scope = data.scope
reached = dv.reached_levels(log)  # 每位客户第一次到达每一级的日期和功劳，全公司只算这一次
level_name = dv.STAGE_LABELS[level]
period_name = dv.teach.PERIOD_LABELS[period]
print(f"{data.label}，范围：{scope}，阶段：{level_name}，统计周期：{period_name}")
data.banner()  # 用你自己的数据时：说明数据是谁的、跳过了哪些行

# %% [markdown]
# ## 1. 第一步：确定统计周期
#
# 本课程统一用**自然周期**：
#
# - **周**：星期一开始、星期日结束（国际标准 ISO 周）。一周可能跨两个月，例如 2025 年 3 月 31 日（周一）到 4 月 6 日（周日）。
# - **月**：自然月，大月 31 天、小月 30 天、2 月 28 或 29 天。
# - **季度**：1–3 月、4–6 月、7–9 月、10–12 月。
# - **年**：1 月 1 日到 12 月 31 日。
#
# 结果表里的 `period` 一列写的是这个周期的**第一天**：`2025-04-01` 表示 2025 年 4 月，`2025-03-31` 表示从这一天开始的那一周。
#
# 选多长的周期？周报看节奏（这周敲了多少门），月报看结果（这月拿下多少客户），季度和年看趋势、做考核。
# 周期太短，成交这种“慢”指标会忽高忽低；周期太长，问题发现得太晚。
#
# 下面是同一份数据按四种周期数出来的新客户数，注意：**全年合计在四种周期下完全一样**。

# %%
totals = []
for code, name in dv.teach.PERIOD_LABELS.items():
    table = dv.teach.volume_view(log, level=level, period=code, team=team, reached=reached)
    totals.append({"统计周期": name, "周期个数": len(table), "合计新客户": int(table["volume"].sum()),
                   "最少的一期": int(table["volume"].min()), "最多的一期": int(table["volume"].max())})
pd.DataFrame(totals)

# %% [markdown]
# ### 边界上的两个坑
#
# **坑一：周从哪天开始。** 有的系统把星期日当一周的第一天。一个星期日第一次联系的客户，按本课程的规则属于
# 前一周（周一到周日），按“周日开始”的规则却属于后一周。全团队必须用同一个规则，否则周报和周报对不上。

# %%
days = ["2026-04-05", "2026-04-06"]
pd.DataFrame({"日期": days, "星期": ["星期日", "星期一"],
              "所属的周（周一开始）": [str(dv.period_window(day, "W")) for day in days]})

# %% [markdown]
# **坑二：把“一个月”当成 30 天，或把“一周”当成“1 号到 7 号”。** 下面用每位客户第一次接触的日期来比较：
# 7 月按自然月和按 30 天各算一次；第 14 周按周一到周日和按“4 月 1 日到 7 日”各算一次。
#
# 这些日期来自 `dv.reached_levels`：它在全公司的日志上，为每位客户、每一级找出第一次到达的日期，
# 以及这一天记在哪位销售员、哪个团队名下（就是第一课那几行 pandas 做的事）。本课程的每个数字都从这张表出发：

# %%
dv.teach.chinese(reached.head(6))

# %%
first_contact = reached[reached["level"] == "contacted"]
if team:
    first_contact = first_contact[first_contact["team"] == team]


def new_between(first: object, last: object) -> int:
    """Customers first contacted from ``first`` to ``last`` (both included)."""
    return int(first_contact["date"].between(pd.Timestamp(first), pd.Timestamp(last)).sum())


one_day = pd.Timedelta(days=1)


def thirty_days(month: dv.Window) -> pd.Timestamp:
    """The last day of a month that is wrongly taken to be 30 days long."""
    return pd.Timestamp(month.first) + 29 * one_day


def days_one_to_seven(week: dv.Window) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The 1st to the 7th of the month whose 1st is in ``week``: a week wrongly counted from the 1st."""
    first_of_month = pd.Timestamp(week.last).replace(day=1)
    return first_of_month, first_of_month + 6 * one_day


first_day, last_day = log["date"].min(), log["date"].max()
if data.is_case:  # 案例：2025 年 7 月，和 4 月 1 日所在的那一周
    month, week = dv.period_window("2025-07-01", "M"), dv.period_window("2025-04-01", "W")
else:  # 你的数据：日志里的完整月份，挑最近一个边界上数出来不一样的（都一样的话，就取最近的）
    latest = dv.last_complete(last_day, "M").current.first
    months = [dv.period_window(latest, "M", back=k) for k in range(36)]
    months = [m for m in months if pd.Timestamp(m.first) >= first_day] or months[:1]
    long_months = [m for m in months if m.days == 31] or months
    month = next((m for m in long_months
                  if new_between(m.first, m.last) != new_between(m.first, thirty_days(m))), long_months[0])
    weeks = [dv.period_window(m.first, "W") for m in months if m.first.weekday() != 0]  # 跨两个月的周
    week = next((w for w in weeks
                 if new_between(w.first, w.last) != new_between(*days_one_to_seven(w))), weeks[0])
thirty = thirty_days(month)
first_of_month, seventh = days_one_to_seven(week)
iso_year, iso_week, _ = week.first.isocalendar()
month_label = f"{month.first.year} 年 {month.first.month} 月"
week_label = f"{iso_year} 年第 {iso_week} 周"
pd.DataFrame([
    {"问题": f"{month_label}新接触客户",
     "正确的边界": f"{month.first.month}/{month.first.day}–{month.last.month}/{month.last.day}（自然月）",
     "正确的数": new_between(month.first, month.last),
     "错误的边界": f"{month.first.month}/{month.first.day}–{thirty.month}/{thirty.day}（30 天）",
     "错误的数": new_between(month.first, thirty)},
    {"问题": f"{week_label}新接触客户",
     "正确的边界": f"{week.first.month}/{week.first.day}–{week.last.month}/{week.last.day}（周一到周日）",
     "正确的数": new_between(week.first, week.last),
     "错误的边界": f"{first_of_month.month}/{first_of_month.day}–{seventh.month}/{seventh.day}（从 1 号起算）",
     "错误的数": new_between(first_of_month, seventh)},
])

# %%
differs = (new_between(month.first, month.last) != new_between(month.first, thirty),
           new_between(week.first, week.last) != new_between(first_of_month, seventh))
data.note(f"课文里的 7 月和第 14 周是案例的日子。你们的日志换成了 {month_label}（有 31 天的完整月份）和 "
          f"{week_label}（{week.first:%Y-%m-%d} 至 {week.last:%Y-%m-%d}，跨了两个月），数的是{scope}的新接触客户"
          + ("：挑的是你们日志里最近的、两种边界数出来不一样的月份和周。" if all(differs) else
             "。在你们的日志里，有的边界上两种数法碰巧一样（月底、月初没有新接触的客户），"
             "但只要有一位客户落在边界上，数字就会不同，所以规则照样要统一。"))

# %% [markdown]
# 差别看起来不大，但它会让“这个月比上个月多了还是少了”的结论反过来，也会让考核时有人吃亏、有人占便宜。

# %% [markdown]
# ## 2. 第二步：收集数据——工作日志表
#
# 开发量不是凭印象报的，而是从**工作日志表**里数出来的：销售员每做一次客户活动，就记一行。
#
# | 列 | 必填 | 怎么填 |
# |---|---|---|
# | 日期 | 是 | 活动那天，如 2025-03-05 |
# | 销售员、团队 | 是 | 谁做的这次活动 |
# | 客户 | 是 | 客户全称，**同一个客户每次写法完全一样** |
# | 阶段 | 是 | 这次活动之后客户走到了哪一步：首次接触 / 意向 / 签约 / 成交 / 流失 |
# | 渠道、活动类型、金额、备注 | 否 | 客户从哪来、这次是电话还是拜访、成交金额、流失原因 |
#
# 两条纪律最要紧：
#
# 1. **每次活动都记，当天记。** 漏记的活动不会让开发量变少（一个客户只要有一行就能算），但会让后面算转化率、效率时失真。
# 2. **客户名写法统一。** “恒达贸易”和“恒达贸易有限公司”在表里是两个客户，会被算成两位新客户。
#    最好用下拉选择或客户编号。命令 `devvolume template 工作日志模板.xlsx` 能生成一个带下拉框的模板。
#
# 案例公司的工作日志表是这样的（前 5 行）：

# %%
data.note("下面是你们的工作日志表的前 5 行（读入后换成了标准的列名），不是案例公司的。")

# %%
dv.teach.chinese(data.worklog.head(5))

# %%
dv.teach.describe_worklog(log)

# %% [markdown]
# ## 3. 第三步：汇总
#
# 有了日志表，汇总就是一句话：每个周期里，第一次达到这一级的客户有多少。下面按参数里的周期和阶段，
# 把开发量按团队拆开（选了某个团队时，就按这个团队的销售员拆开）。

# %%
split = "rep" if team else "team"
by_group = dv.teach.volume_view(log, level=level, period=period, team=team, by=split,
                                reached=reached)
dv.viz.volume_trend(by_group, period=period, by=split, mark="bar", level=level,
                    title=f"{scope}：每{period_name}新{level_name}客户（按{'销售员' if team else '团队'}拆分）")

# %% [markdown]
# ### 为什么新客户数可以放心地相加
#
# 每个新客户只在**一个**周期、只记在**一个**人名下。所以：
#
# - 每个人的开发量加起来 = 团队的开发量，每个团队加起来 = 全公司的开发量；
# - 每个月加起来 = 季度，每个季度加起来 = 全年。
#
# 这有一个前提：**先在全公司数，再分到团队和个人。** 一位客户如果被两个团队都跟进过，只有第一次接触（或第一次成交）
# 那一行的团队能记这一笔。要是先把日志剪成只剩一个团队再数，这位客户在两个团队里都会被当成新客户，
# 团队加起来就比全公司多。所以本课程里团队的数字，都是从全公司的结果里挑出记在这个团队名下的那部分。
#
# 下面用数据验证这几条：

# %%
company = dv.development_volume(reached, level=level, period=period)
by_team = dv.development_volume(reached, level=level, period=period, by="team")
scoped = dv.teach.volume_view(log, level=level, period=period, team=team, reached=reached)
by_rep = dv.teach.volume_view(log, level=level, period=period, team=team, by="rep",
                              reached=reached)
quarters = dv.teach.volume_view(log, level=level, period="Q", team=team, reached=reached)
print(f"各团队加起来：{by_team['volume'].sum()}，直接数全公司：{company['volume'].sum()}")
print(f"{scope}：按销售员加总 {by_rep['volume'].sum()}，直接数 {scoped['volume'].sum()}，"
      f"按季度加总 {quarters['volume'].sum()}")

# %% [markdown]
# **活跃客户数就不能这样加。** 一个客户 4、5、6 月都在跟进，每个月都算一位“活跃客户”，三个月加起来就成了三位。
# 下表比较二季度的三种数法（首次接触这一级）：

# %%
# 案例看 2025 年二季度；你的数据看日志里最后一个完整的季度
quarter = (dv.period_window("2025-04-01", "Q") if data.is_case
           else dv.last_complete(last_day, "Q").current)
quarter_name = "一二三四"[(quarter.first.month - 1) // 3] + "季度"
quarter_months = "、".join(str(quarter.first.month + k) for k in range(3))


def in_quarter(table: pd.DataFrame, column: str) -> int:
    """Add up ``column`` over the periods of ``quarter`` of a core result."""
    if team:
        table = table[table["team"] == team]
    inside = table["period"].between(pd.Timestamp(quarter.first), pd.Timestamp(quarter.last))
    return int(table.loc[inside, column].sum())


work_by = "team" if team else None  # 活动记录：每一行算在写下它的团队名下
pd.DataFrame({
    "数法": [f"把 {quarter_months} 月的活跃客户数相加（错误）", f"{quarter_name}有活动的不同客户（错误）",
           f"{quarter_name}新接触客户（正确）"],
    "结果": [in_quarter(dv.activity_counts(log, period="M", by=work_by), "active_customers"),
           in_quarter(dv.activity_counts(log, period="Q", by=work_by), "active_customers"),
           in_quarter(dv.development_volume(reached, level="contacted", period="Q", by=work_by), "volume")],
})

# %%
data.note(f"这里的“二季度”换成了你们日志里最后一个完整的季度：{quarter.first.year} 年{quarter_name}"
          f"（{quarter.first:%Y-%m-%d} 至 {quarter.last:%Y-%m-%d}）。")

# %% [markdown]
# ### 别漏掉为 0 的周期
#
# 某个人某个月一个新客户也没有，这一行也要留着，写 0。漏掉它，算“月平均”时分母变小，平均数被抬高；
# 画趋势图时，0 的那个月直接消失，谁也看不出断档。`dv.development_volume` 会自动补上这些 0。
#
# 下面是范围内最晚入职的销售员每月的新成交客户（案例数据里全公司是刘洋，2 月 17 日入职）。
# 只看他入职以后的完整月份（从 3 月起）：入职前的 1 月他还不在公司，2 月只上了半个月班，这两个月的 0 不说明任何问题。
# 3 月以后开头几个月的 0 才是真实的信息：他还没“开张”。

# %%
won_by_rep = dv.development_volume(reached, level="won", period="M", by="rep")
if data.reps is not None:  # 案例：销售员名单里有入职日期
    reps = data.reps if not team else data.reps[data.reps["team"] == team]
    newest = reps.sort_values(["hire_date", "rep"]).iloc[-1]
    newest_rep, since = newest["rep"], f"{newest['hire_date']:%Y-%m-%d} 入职"
    hired = pd.Timestamp(newest["hire_date"])
    # 入职前的月份不算；入职当月只上了半个月班，也不算（1 号入职的从当月算）
    counted_from = hired if hired.day == 1 else pd.Timestamp(dv.period_window(hired, "M").last) + one_day
    counted_why = "入职后第一个完整的月份起：入职前的月份、只上了半个月班的入职当月都不算"
    newest_note = ""
else:  # 你的数据没有销售员名单：取第一条活动记录最晚的那位（只看成交过新客户的人）
    work = dv.activity_counts(log, period="M", by=["team", "rep"])
    work = work[(work["activities"] > 0) & work["rep"].isin(won_by_rep.loc[won_by_rep["volume"] > 0, "rep"])]
    if team:
        work = work[work["team"] == team]
    started = work.groupby("rep", as_index=False)["period"].min()
    newest = started.sort_values(["period", "rep"]).iloc[-1]
    newest_rep, since = newest["rep"], f"{newest['period'].year} 年 {newest['period'].month} 月第一次出现在日志里"
    counted_from = newest["period"]  # 没有入职日期：从他第一次出现的那个月算起（那个月也许只做了几天）
    counted_why = "他第一次出现在日志里的那个月起，之前的月份不算"
    if newest["period"] <= pd.Timestamp(dv.period_window(first_day, "M").first):  # 所有人从日志的第一个月起就有记录
        newest_note = (f"{scope}的销售员从日志的第一个月起就都有记录，这里取了其中一位：{newest_rep}；"
                       "他的 0 就是没有开发出新成交客户的月份。")
    else:
        newest_note = (f"这里看的是{scope}里第一条记录最晚的销售员 {newest_rep}（{since}）；"
                       "他出现在日志里之前的月份不算（那时他也许还没来），第一次出现的那个月也许只做了几天。")
newcomer = won_by_rep[(won_by_rep["rep"] == newest_rep) & (won_by_rep["period"] >= counted_from)]
print(f"{newest_rep}（{since}）：从 {counted_from:%Y-%m} 起的 {len(newcomer)} 个月里（{counted_why}），"
      f"算上 0 的月份，平均每月 {newcomer['volume'].mean():.2f} 位新成交客户；漏掉 0 的月份，平均数会变成 "
      f"{newcomer.loc[newcomer['volume'] > 0, 'volume'].mean():.2f} 位。")
dv.viz.volume_trend(newcomer, period="M", mark="bar",
                    title=f"{newest_rep}：{counted_from:%Y-%m} 起每月新成交客户（包括为 0 的月份）")

# %%
data.note(f"课文里的刘洋是案例公司的新人。你们的日志里没有入职日期，{newest_note}")

# %% [markdown]
# ### 排行榜：谁开发得多
#
# 把整段时间的开发量按销售员加总，就是一张排行榜（选了团队就只看这个团队）：

# %%
board = dv.teach.volume_totals(by_rep, by="rep")
dv.viz.leaderboard(board, title=f"{scope}：销售员新{level_name}客户排行")

# %% [markdown]
# ## 4. 动手试一试
#
# 换阶段、周期、团队和拆分方式，看看：按周看成交是不是忽高忽低？哪个团队的开发量最稳？
# 下面的表是所选拆分方式的合计，总是等于不拆分时的合计。每次改动都调用函数 `dv.teach.volume_view`。

# %%
dv.teach.volume_explorer(log, level=level, period=period, team=team)

# %% [markdown]
# 默认设置下的结果（不需要运行小工具也能看到）：

# %%
dv.teach.chinese(dv.teach.volume_view(log, level=level, period=period, team=team,
                                      reached=reached).tail(6))

# %% [markdown]
# ## 5. 用你自己的数据
#
# 载入你团队的工作日志表：填路径（相对路径从启动 JupyterLab 的文件夹算起，左侧文件浏览器里右键文件 → “复制路径”最省事）
# 或上传，再点“加载”。文件有问题时，会按 Excel 行号列出每一处问题；只有几行有问题时，可以先用没有问题的行继续。
# 载入后出现和第 4 节一样的小工具：阶段、周期、团队、拆分方式都用下拉框选。选了团队，数的是整个文件先数好、
# 再记在这个团队名下的新客户，按销售员拆开加起来正好等于这个团队。

# %%
dv.teach.own_worklog("volume", level=level, period=period, by="rep")

# %% [markdown]
# 例如，一个把日期写成 `2026/4/31`、销售员空着、阶段写成“已付款”的文件，会得到这样的提示：

# %%
name, content = dv.teach.example_problem_file()
with pd.option_context("display.max_colwidth", None):  # 每条问题说明都整句显示，不截断
    show(dv.teach.problems_table(dv.teach.load_uploaded(name, content).problems))

# %% [markdown]
# ## 小结
#
# - **定周期**：周从星期一开始，月是自然月；结果里的日期是每个周期的第一天。边界定错，趋势就会看错。
# - **收数据**：每次活动记一行，当天记；客户名写法统一，否则一个客户会变成两个。
# - **做汇总**：新客户数可以按人、按团队、按时间相加，而且加起来一定对得上；活跃客户数不能相加。
#   团队的数字是全公司结果里记在这个团队名下的部分，不要把日志先剪成一个团队再数。
# - **留住 0**：没有开发出客户的周期也要列出来，否则平均数和趋势都会失真。
# - 下一课：只看开发了多少还不够，还要看开发得“好不好”——转化率、保留率和流失率。
