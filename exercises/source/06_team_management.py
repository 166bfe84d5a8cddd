# %% [markdown]
# # 练习六：周会、目标与激励
#
# 这组练习的前四题用第六课的案例数据（`directsales`）的练习版，第 5 题用课程自带的示例 CRM 导出。每道题把答案赋给指定的变量，再运行 `check()`。
# 答错时会告诉你错在哪里，但不会告诉你正确的数字。`hint()` 一条一条给提示，`solution()` 显示参考答案。
#
# 检查的标准：客户个数要完全一样（差 1 也不对）；比率写成小数，保留至少三位（0.25 表示 25%）；金额精确到元。
# 比率写成了百分数，或者小数位太少、看不出用的是哪种算法时，会请你 🔁 换个写法再交：这一次不算对，也不算错。
#
# 练习用的是案例公司日志的**练习版**（`exercise_data()`）：课上那份日志之外，多了一些后来的行：老客户又下了一单
# （回头单），别的团队接手跟进老客户（再下一单、流失后再试一次、给还没有结果的客户打个电话）。这些行不改变任何客户
# 第一次达到各阶段的日期，也不改变谁成交、谁流失，所以课上的新客户数、转化率、赢单率在这里照样成立；可是数行数、
# 数活跃客户、先把日志筛成一个团队再数，就会数出别的数。真实的公司里，团队之间本来就会共享客户。

# %%
# 答题时要用到的模块。学员版只用 ____ 占位，所以不检查“未使用的导入”。
import devvolume as dv
from devvolume.teach.exercises import ____, exercise_data, lesson06, sign_in  # noqa: F401, RUF100

sign_in()  # 第一次做练习时写上你的名字：进度只保存在本机，老师汇总全班进度时用

data = exercise_data()  # 案例公司 directsales 的练习版（见上）
attained = dv.attainment(data.worklog, data.targets)   # 每人每月：target, actual, attainment
reps_of = data.targets.groupby("team")["rep"].unique()  # 每个团队有哪些销售员
q1, q2, q3, q4, q5 = lesson06.QUESTIONS
data.worklog.head()

# %% [markdown]
# ## 第 1 题　本周新接触了多少客户？
#
# 华东一组在 2025-05-26（周一）开始的那一周，新接触了多少个客户？这是周会上"本周新客户"的数字。
# 团队的数字是全公司结果里属于这个团队的那一行：在全公司的 `data.worklog` 上按 `by="team"` 算，再取华东一组。
# 不要先把日志筛成华东一组再算：别的组以前接触过、后来由华东一组接手跟进的客户，不是这个组的新客户。

# %% tags=["solution"]
new_contacted_week = (dv.development_volume(data.worklog, level="contacted", period="W", by="team")
                      .set_index(["team", "period"]).loc[("华东一组", "2025-05-26"), "volume"])

# %%
q1.check()

# %%
# q1.hint()

# %%
# q1.solution()

# %% [markdown]
# ## 第 2 题　停滞客户
#
# 4 月的第一次周会定在 2025-04-07（周一）。按开会当天算，华东一组有多少个**停滞客户**？
# （已进入意向或签约、还没成交也没流失、最近 14 天以上没有任何活动）

# %% tags=["solution"]
stalled = dv.stalled_customers(data.worklog, as_of="2025-04-07")
stalled_count = len(stalled[stalled["team"] == "华东一组"])

# %%
q2.check()

# %%
# q2.hint()

# %%
# q2.solution()

# %% [markdown]
# ## 第 3 题　团队的季度达成率
#
# 华北一组 2025 年第二季度（4–6 月）的新客户目标达成率是多少？（新成交客户 ÷ 目标，写成小数）
# 下面先筛出这个组 4–6 月每人每月的目标和实际数，注意组里有一位新人，头三个月目标减半。

# %%
north_q2 = attained[attained["rep"].isin(reps_of["华北一组"])
                    & attained["period"].between("2025-04-01", "2025-06-01")]
north_q2.groupby("rep")[["target", "actual"]].sum()

# %% tags=["solution"]
team_attainment_q2 = north_q2["actual"].sum() / north_q2["target"].sum()

# %%
q3.check()

# %%
# q3.hint()

# %%
# q3.solution()

# %% [markdown]
# ## 第 4 题　全组一年发多少奖金？
#
# 激励方案按月结算：每个新成交客户奖励 500 元；当月超出目标的部分，每个客户按 1.5 倍发放。
# 华东一组全组 2025 年全年一共要发多少奖金（元）？

# %%
east = attained[attained["rep"].isin(reps_of["华东一组"])]

# %% tags=["solution"]
team_bonus = dv.incentive_payout(east, per_customer=500, tiers=[(1.0, 1.5)])["payout"].sum()

# %%
q4.check()

# %%
# q4.hint()

# %%
# q4.solution()

# %% [markdown]
# ## 第 5 题　客户赢单率和商机赢单率
#
# 第 5 题换一份数据：课程自带的示例 CRM 导出（`examples/crm/pipeline`，一行一个商机），用 `dv.import_crm` 导入成工作日志，
# 和第六课第 5 节的做法一样。导入后的日志多了一列 `deal`（商机编号）：同一个客户可以有好几个商机。
#
# Sergio Blanco 团队的**客户赢单率**和**商机赢单率**各是多少？写成一个 dict：`{'客户': 客户赢单率, '商机': 商机赢单率}`，
# 比率写成小数。两个数都是全公司结果里记在这个团队名下的那一份。

# %%
crm_export, crm_roster = dv.teach.crm_example_files()   # 示例导出和它的销售员名单（销售员 → 团队）
crm_log = dv.import_crm(crm_export, roster=crm_roster).worklog
crm_log.head()

# %% tags=["solution"]
customers = dv.win_rate(crm_log, by="team").set_index("team")
deals = dv.win_rate(crm_log, by="team", unit="deal").set_index("team")
win_rates_by_unit = {"客户": customers.loc["Sergio Blanco", "win_rate"],
                     "商机": deals.loc["Sergio Blanco", "deal_win_rate"]}

# %%
q5.check()

# %%
# q5.hint()

# %%
# q5.solution()
